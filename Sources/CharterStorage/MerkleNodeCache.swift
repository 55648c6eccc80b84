import CharterCore
import Synchronization

/// The upper levels of the access log's tree, held in memory. A complete subtree's hash never changes
/// once stored (the log is append-only), so a cached node is right whichever process appended it.
///
/// The store loads, when it opens, every node from the lowest level that fits `budget` up, and keeps the
/// nodes its own appends commit and its reads fetch at those levels; a proof then reads only the few
/// nodes below from SQLite. When the log has grown past twice the budget, the lowest level is dropped.
///
/// Each level is an array indexed by the subtree's index: the nodes of a level are complete subtrees
/// numbered from 0, so a level is dense, and a lookup costs no hashing (a dictionary of coordinates was
/// a sixth of a proof's time).
final class MerkleNodeCache: Sendable {
    /// Hashes the lowest level is chosen for (32 bytes each, inline); at most twice as many are held,
    /// about 4 MB, before a level is dropped.
    static let budget = 1 << 16

    private struct State {
        var minimumLevel: Int
        /// `levels[level - minimumLevel][index]`: the nodes of each cached level from index 0, without gaps.
        var levels: [[TreeHash]] = []
        var count = 0

        /// Appends `hash` when it is the next node of its level; a node past a gap (appended by another
        /// process, not yet seen here) is left to SQLite.
        mutating func keep(_ coordinate: SubtreeCoordinate, _ hash: TreeHash) {
            let offset = coordinate.level - minimumLevel
            guard offset >= 0 else { return }
            while levels.count <= offset { levels.append([]) }
            guard coordinate.index == levels[offset].count else { return }
            levels[offset].append(hash)
            count += 1
        }

        func hash(_ coordinate: SubtreeCoordinate) -> TreeHash? {
            let offset = coordinate.level - minimumLevel
            guard offset >= 0, offset < levels.count, coordinate.index >= 0, coordinate.index < levels[offset].count else { return nil }
            return levels[offset][coordinate.index]
        }
    }

    private let state: Mutex<State>

    /// An empty cache from `minimumLevel` up; the store replaces it with `load` when it opens.
    init(minimumLevel: Int = 0) {
        state = Mutex(State(minimumLevel: minimumLevel))
    }

    /// The lowest level whose nodes, with every level above, number at most `budget` in a log of `size`
    /// entries (a log of n leaves has about 2n / 2^L nodes at level L and above).
    static func minimumLevel(forSize size: Int) -> Int {
        var level = 0
        while (2 * size) >> level > budget { level += 1 }
        return level
    }

    /// The lowest level kept.
    var minimumLevel: Int { state.withLock { $0.minimumLevel } }

    /// Replaces the content with `nodes` from `minimumLevel` up, given in (level, index) order.
    func load(minimumLevel: Int, nodes: some Sequence<(SubtreeCoordinate, TreeHash)>) {
        var loaded = State(minimumLevel: minimumLevel)
        for (coordinate, hash) in nodes { loaded.keep(coordinate, hash) }
        state.withLock { $0 = loaded }
    }

    /// The cached hashes among `coordinates`.
    func hashes(of coordinates: [SubtreeCoordinate]) -> [SubtreeCoordinate: TreeHash] {
        state.withLock { state in
            var found: [SubtreeCoordinate: TreeHash] = [:]
            for coordinate in coordinates {
                if let hash = state.hash(coordinate) { found[coordinate] = hash }
            }
            return found
        }
    }

    /// Keeps the nodes among `read` at the cached levels that extend them.
    func keep(_ read: [SubtreeCoordinate: TreeHash]) {
        let ordered = read.sorted { ($0.key.level, $0.key.index) < ($1.key.level, $1.key.index) }
        state.withLock { state in
            for (coordinate, hash) in ordered { state.keep(coordinate, hash) }
            if state.count > 2 * Self.budget, !state.levels.isEmpty {
                state.count -= state.levels.removeFirst().count
                state.minimumLevel += 1
            }
        }
    }
}

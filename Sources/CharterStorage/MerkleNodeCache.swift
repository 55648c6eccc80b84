import CharterCore
import Synchronization

/// The upper levels of the access log's tree, held in memory. A complete subtree's hash never changes
/// once stored (the log is append-only), so a cached node is right whichever process appended it.
///
/// The store loads, when it opens, every node from the lowest level that fits `budget` up, and keeps the
/// nodes its own appends commit and its reads fetch at those levels; a proof then reads only the few
/// nodes below from SQLite. When the log has grown past twice the budget, the lowest level is dropped.
final class MerkleNodeCache: Sendable {
    /// Hashes the lowest level is chosen for (about 100 bytes each with their allocation and the
    /// dictionary's share); at most twice as many are held, about 13 MB, before a level is dropped.
    static let budget = 1 << 16

    private struct State {
        var minimumLevel: Int
        var nodes: [SubtreeCoordinate: TreeHash] = [:]
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

    /// Replaces the content with `nodes`, every stored node from `minimumLevel` up.
    func load(minimumLevel: Int, nodes: [SubtreeCoordinate: TreeHash]) {
        state.withLock { $0 = State(minimumLevel: minimumLevel, nodes: nodes) }
    }

    /// The cached hashes among `coordinates`.
    func hashes(of coordinates: [SubtreeCoordinate]) -> [SubtreeCoordinate: TreeHash] {
        state.withLock { state in
            var found: [SubtreeCoordinate: TreeHash] = [:]
            for coordinate in coordinates where coordinate.level >= state.minimumLevel {
                if let hash = state.nodes[coordinate] { found[coordinate] = hash }
            }
            return found
        }
    }

    /// Keeps the nodes among `read` at the cached levels.
    func keep(_ read: [SubtreeCoordinate: TreeHash]) {
        state.withLock { state in
            let minimumLevel = state.minimumLevel
            let upper = read.filter { $0.key.level >= minimumLevel }
            guard !upper.isEmpty else { return }
            state.nodes.merge(upper) { kept, _ in kept }
            if state.nodes.count > 2 * Self.budget {
                state.minimumLevel += 1
                let raised = state.minimumLevel
                state.nodes = state.nodes.filter { $0.key.level >= raised }
            }
        }
    }
}

import CharterCore
import Synchronization

/// The upper levels of the access log's tree, kept in memory once read. A complete subtree's hash never
/// changes once stored (the log is append-only), so a cached node is right whichever process appended it.
/// Only levels from `minimumLevel` up are kept: one node per 1,024 leaves and above, 64 KB of hashes per
/// million entries, while a proof or an append's right edge then reads only the ~10 lowest nodes.
final class MerkleNodeCache: Sendable {
    /// Nodes below this level (covering fewer than 1,024 leaves) are always read from the store.
    static let minimumLevel = 10

    private let nodes = Mutex<[SubtreeCoordinate: TreeHash]>([:])

    /// The cached hashes among `coordinates`.
    func hashes(of coordinates: [SubtreeCoordinate]) -> [SubtreeCoordinate: TreeHash] {
        nodes.withLock { nodes in
            var found: [SubtreeCoordinate: TreeHash] = [:]
            for coordinate in coordinates where coordinate.level >= Self.minimumLevel {
                if let hash = nodes[coordinate] { found[coordinate] = hash }
            }
            return found
        }
    }

    /// Keeps the upper-level nodes among `read`.
    func keep(_ read: [SubtreeCoordinate: TreeHash]) {
        let upper = read.filter { $0.key.level >= Self.minimumLevel }
        guard !upper.isEmpty else { return }
        nodes.withLock { nodes in nodes.merge(upper) { kept, _ in kept } }
    }
}

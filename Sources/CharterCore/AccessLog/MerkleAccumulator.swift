/// The right edge of a growing Merkle tree (its "compact range"): appending a leaf costs amortised O(1)
/// hashes and yields the complete subtrees it closes, which the store keeps for proofs.
public struct MerkleAccumulator: Sendable {
    /// The complete subtrees on the right edge, largest first, as (level, hash).
    public private(set) var edge: [(level: Int, hash: TreeHash)] = []
    /// Leaves appended so far.
    public private(set) var size = 0

    public init() {}

    /// Rebuilds the edge of a tree of `size` leaves from its stored complete subtrees.
    public init<Failure: Error>(size: Int, tree: MerkleTree<Failure>) throws(Failure) {
        var start = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where size & (1 << level) != 0 {
            edge.append((level, try tree.node(level, start >> level)))
            start += 1 << level
        }
        self.size = size
    }

    /// A complete subtree closed by an append: to be stored at (level, index).
    public struct Node: Sendable, Hashable {
        public let level: Int
        public let index: Int
        public let hash: TreeHash
    }

    /// Appends a leaf hash; returns every complete subtree it closes, the leaf itself first.
    @discardableResult
    public mutating func append(_ leafHash: TreeHash) -> [Node] {
        var closed = [Node(level: 0, index: size, hash: leafHash)]
        var current = (level: 0, hash: leafHash)
        while let last = edge.last, last.level == current.level {
            edge.removeLast()
            current = (current.level + 1, .node(last.hash, current.hash))
            closed.append(Node(level: current.level, index: size >> current.level, hash: current.hash))
        }
        edge.append(current)
        size += 1
        return closed
    }

    /// The root of the tree so far.
    public var root: TreeHash {
        guard var root = edge.last?.hash else { return .empty }
        for subtree in edge.dropLast().reversed() { root = .node(subtree.hash, root) }
        return root
    }
}

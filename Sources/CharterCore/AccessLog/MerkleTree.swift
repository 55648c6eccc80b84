/// RFC 9162 §2.1 Merkle tree math over a log whose complete subtrees are stored.
///
/// A *complete subtree* is the hash of `2^level` leaves starting at `index * 2^level`. The store keeps
/// every one of them as leaves arrive, so any root or proof below needs O(log n) reads and no
/// recomputation of the tree. `node(level, index)` reads one; it throws if the store cannot.
public struct MerkleTree<Failure: Error> {
    /// Reads the stored hash of a complete subtree.
    public let node: (_ level: Int, _ index: Int) throws(Failure) -> TreeHash

    public init(node: @escaping (_ level: Int, _ index: Int) throws(Failure) -> TreeHash) {
        self.node = node
    }

    /// MTH of leaves `[start, end)`, where `start` is aligned as RFC 9162's recursion guarantees.
    public func hash(_ start: Int, _ end: Int) throws(Failure) -> TreeHash {
        let count = end - start
        if count == 0 { return .empty }
        if count & (count - 1) == 0, start % count == 0 {
            let level = count.trailingZeroBitCount
            return try node(level, start >> level)
        }
        let split = Self.largestPowerOfTwo(below: count)
        return .node(try hash(start, start + split), try hash(start + split, end))
    }

    /// The root of the tree of the first `size` leaves.
    public func root(size: Int) throws(Failure) -> TreeHash {
        try hash(0, size)
    }

    /// The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1), leaf side first.
    public func inclusionProof(index: Int, size: Int) throws(Failure) -> [TreeHash] {
        precondition(index >= 0 && index < size, "callers check the range")
        var proof: [TreeHash] = []
        try path(index, 0, size, into: &proof)
        return proof
    }

    private func path(_ index: Int, _ start: Int, _ end: Int, into proof: inout [TreeHash]) throws(Failure) {
        let count = end - start
        guard count > 1 else { return }
        let split = Self.largestPowerOfTwo(below: count)
        if index < start + split {
            try path(index, start, start + split, into: &proof)
            proof.append(try hash(start + split, end))
        } else {
            try path(index, start + split, end, into: &proof)
            proof.append(try hash(start, start + split))
        }
    }

    /// The consistency proof from the tree of `oldSize` leaves to the tree of `newSize` (RFC 9162 §2.1.4.1).
    public func consistencyProof(from oldSize: Int, to newSize: Int) throws(Failure) -> [TreeHash] {
        precondition(oldSize > 0 && oldSize <= newSize, "callers check the range")
        var proof: [TreeHash] = []
        try subproof(oldSize, 0, newSize, complete: true, into: &proof)
        return proof
    }

    private func subproof(_ m: Int, _ start: Int, _ end: Int, complete: Bool, into proof: inout [TreeHash]) throws(Failure) {
        let count = end - start
        if m == count {
            if !complete { proof.append(try hash(start, end)) }
            return
        }
        let split = Self.largestPowerOfTwo(below: count)
        if m <= split {
            try subproof(m, start, start + split, complete: complete, into: &proof)
            proof.append(try hash(start + split, end))
        } else {
            try subproof(m - split, start + split, end, complete: false, into: &proof)
            proof.append(try hash(start, start + split))
        }
    }

    /// The largest power of two strictly smaller than `count` (count ≥ 2).
    static func largestPowerOfTwo(below count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }
}

/// A stored complete subtree: `2^level` leaves starting at leaf `index * 2^level`.
public struct SubtreeCoordinate: Sendable, Hashable {
    public let level: Int
    public let index: Int

    public init(level: Int, index: Int) {
        self.level = level
        self.index = index
    }

    /// The complete subtrees that `compute` reads, so a store can fetch them all in one query.
    /// The tree math branches on sizes only, never on hash values, so a dry run with placeholder
    /// hashes visits exactly the nodes the real run will.
    public static func read(by compute: (MerkleTree<Never>) -> Void) -> [SubtreeCoordinate] {
        final class Recorder {
            var coordinates: [SubtreeCoordinate] = []
        }
        let recorder = Recorder()
        compute(MerkleTree<Never> { level, index in
            recorder.coordinates.append(SubtreeCoordinate(level: level, index: index))
            return .empty
        })
        return recorder.coordinates
    }
}

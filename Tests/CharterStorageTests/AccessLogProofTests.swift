import CharterCore
import CharterStorage
import CharterTestSupport
import Testing

/// The store keeps the upper levels of the access log's tree in memory. Proofs and roots must stay those
/// of the leaves actually stored, even when another process (the CLI) appends behind the hub's back.
@Suite struct AccessLogProofTests {
    /// RFC 9162 MTH computed from the leaves alone, independent of the store's nodes.
    static func root(_ leaves: ArraySlice<TreeHash>) -> TreeHash {
        guard leaves.count > 1 else { return leaves.first ?? .empty }
        let split = 1 << (Int.bitWidth - 1 - (leaves.count - 1).leadingZeroBitCount)
        return .node(root(leaves.prefix(split)), root(leaves.dropFirst(split)))
    }

    @Test func proofsStayRightWithCachedUpperLevelsAndAnotherWriter() async throws {
        let directory = try TemporaryDirectory("charterhub-proofs")
        defer { directory.remove() }
        let hub = try SQLiteHubStore(dataDirectory: directory.path)
        let cli = try SQLiteHubStore(dataDirectory: directory.path)
        _ = try await hub.appendLog(Fixtures.logEntries(0..<2_500))  // complete subtrees at levels 10 and 11
        let early = 2_500
        for index in [0, 1_023, 1_024, 2_047, 2_499] {
            _ = try await hub.inclusionProof(index: index, size: early)  // fills the cache
        }
        _ = try await cli.appendLog(Fixtures.logEntries(2_500..<4_200))
        _ = try await hub.appendLog(Fixtures.logEntries(4_200..<4_300))
        let size = try await hub.logSize()
        #expect(size == 4_300)
        let stored = try await hub.logLeaves(after: -1, limit: size)
        #expect(stored.map(\.index) == Array(0..<size))
        let leaves = try stored.map { try #require($0.recordedHash) }
        for treeSize in [early, size] {
            let root = Self.root(leaves[0..<treeSize])
            #expect(try await hub.logRoot(size: treeSize) == root)
            for index in [0, 1_023, 1_024, 2_047, 2_499, 3_071, treeSize - 1] where index < treeSize {
                let proof = try await hub.inclusionProof(index: index, size: treeSize)
                #expect(MerkleProof.verifyInclusion(leafHash: leaves[index], index: index, size: treeSize, proof: proof, root: root), "leaf \(index) of \(treeSize)")
            }
        }
        // A store opened on the grown log loads its upper levels at once and proves the same.
        let reopened = try SQLiteHubStore(dataDirectory: directory.path)
        for index in [0, 2_047, 4_299] {
            let proof = try await reopened.inclusionProof(index: index, size: size)
            #expect(MerkleProof.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: proof, root: Self.root(leaves[...])))
        }
        let consistency = try await hub.consistencyProof(from: early, to: size)
        #expect(MerkleProof.verifyConsistency(
            oldSize: early, newSize: size, oldRoot: Self.root(leaves[0..<early]), newRoot: Self.root(leaves[...]), proof: consistency
        ))
    }
}

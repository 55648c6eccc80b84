import CharterCore
import Foundation
@testable import CharterStorage
import Testing

/// The cache's memory stays within its budget however long the log grows.
@Suite struct MerkleNodeCacheTests {
    @Test func theLowestCachedLevelFollowsTheLogSize() {
        #expect(MerkleNodeCache.minimumLevel(forSize: 0) == 0)
        #expect(MerkleNodeCache.minimumLevel(forSize: MerkleNodeCache.budget / 2) == 0)
        #expect(MerkleNodeCache.minimumLevel(forSize: 1_000_000) == 5)
        #expect(MerkleNodeCache.minimumLevel(forSize: 100_000_000) == 12)
    }

    @Test func passingTwiceTheBudgetDropsTheLowestLevel() {
        let cache = MerkleNodeCache(minimumLevel: 2)
        let node = TreeHash.leaf([1])
        let upper = SubtreeCoordinate(level: 5, index: 0)
        cache.keep([upper: node, SubtreeCoordinate(level: 1, index: 0): node])
        #expect(cache.hashes(of: [upper, SubtreeCoordinate(level: 1, index: 0)]).count == 1, "levels below the minimum are not kept")
        let lowest = (0...(2 * MerkleNodeCache.budget)).map { SubtreeCoordinate(level: 2, index: $0) }
        cache.keep(Dictionary(uniqueKeysWithValues: lowest.map { ($0, node) }))
        #expect(cache.minimumLevel == 3)
        #expect(cache.hashes(of: Array(lowest.prefix(10))).isEmpty)
        #expect(cache.hashes(of: [upper]) == [upper: node])
    }
}

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

    @Test func keepsALevelWithoutGapsWhateverOrderItsNodesArriveIn() {
        let cache = MerkleNodeCache(minimumLevel: 0)
        let nodes = Dictionary(uniqueKeysWithValues: (0..<100).map { (SubtreeCoordinate(level: 1, index: $0), TreeHash.leaf([UInt8($0)])) })
        cache.keep(nodes)
        #expect(cache.hashes(of: Array(nodes.keys)) == nodes)
        // A node past a gap (another process appended in between) is left to SQLite, and so is a negative index.
        let pastGap = SubtreeCoordinate(level: 1, index: 101)
        cache.keep([pastGap: .empty, SubtreeCoordinate(level: 0, index: 1): .empty])
        #expect(cache.hashes(of: [pastGap, SubtreeCoordinate(level: 0, index: 1), SubtreeCoordinate(level: 1, index: -1)]).isEmpty)
        let next = SubtreeCoordinate(level: 1, index: 100)
        cache.keep([next: .empty])
        #expect(cache.hashes(of: [next]) == [next: .empty])
    }
}

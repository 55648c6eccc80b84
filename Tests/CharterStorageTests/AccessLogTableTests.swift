import CharterCore
@testable import CharterStorage
import CharterTestSupport
import Foundation
import Testing

/// `log_nodes` is keyed in the order appends create nodes, so that an append writes one page of it; a log
/// kept by (level, idx) before v8 must keep its tree, its proofs and its recorded leaf hashes.
extension SQLiteHubStoreTests {
    @Test func nodeKeysGrowWithEveryNodeAnAppendCreatesAndNameItsSubtree() {
        var accumulator = MerkleAccumulator()
        var last: Int64 = -1
        for leaf in 0..<5_000 {
            for node in accumulator.append(TreeHash.leaf(Data("\(leaf)".utf8))) {
                let coordinate = SubtreeCoordinate(level: node.level, index: node.index)
                let key = AccessLogTable.nodeKey(coordinate)
                #expect(key > last, "node at level \(node.level), index \(node.index)")
                #expect(AccessLogTable.coordinate(nodeKey: key) == coordinate)
                last = key
            }
        }
        // Both ends of the range the v8 upgrade accepts: keys below 2^62.
        for coordinate in Self.edgesOfTheUpgradedRange {
            let key = AccessLogTable.nodeKey(coordinate)
            #expect(key < 1 << 62 && AccessLogTable.coordinate(nodeKey: key) == coordinate)
        }
    }

    /// The nodes with the largest last leaf the v8 upgrade accepts, 2^56 - 1, at the lowest and highest level.
    static let edgesOfTheUpgradedRange = [SubtreeCoordinate(level: 0, index: (1 << 56) - 1), SubtreeCoordinate(level: 56, index: 0)]

    /// A v7 database holding `entries` and their tree's nodes keyed by (level, idx), plus `extra` SQL.
    static func versionSevenLog(_ entries: [AccessLogEntry], extra: String = "") -> (seed: String, leafHashes: [TreeHash]) {
        var accumulator = MerkleAccumulator()
        var rows: [String] = []
        var leafHashes: [TreeHash] = []
        func text(_ value: String?) -> String { value.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" } ?? "NULL" }
        for (index, entry) in entries.enumerated() {
            let leaf = entry.canonicalJSON()
            let columns = entry.queryColumns
            rows.append("""
                INSERT INTO log_entries (idx, leaf, time, actor, action, decision, vin, dealer) VALUES (\(index), X'\(Hex.string(leaf))', \
                \(text(columns.time)), \(text(columns.actor)), \(text(columns.action)), \(text(columns.decision)), \(text(columns.vin)), \(text(columns.dealer)));
                """)
            leafHashes.append(TreeHash.leaf(leaf))
            for node in accumulator.append(TreeHash.leaf(leaf)) {
                rows.append("INSERT INTO log_nodes (level, idx, hash) VALUES (\(node.level), \(node.index), X'\(node.hash)');")
            }
        }
        return (rows.joined(separator: "\n") + extra, leafHashes)
    }

    @Test func aLogKeptByLevelAndIndexKeepsItsTreeWhenUpgraded() async throws {
        let entries = Fixtures.logEntries(0..<300)
        // Two far nodes, at the edges of the accepted range, are carried over too; proofs never read them.
        let edges = Self.edgesOfTheUpgradedRange.map { "\nINSERT INTO log_nodes (level, idx, hash) VALUES (\($0.level), \($0.index), X'\(TreeHash.empty)');" }
        let old = Self.versionSevenLog(entries, extra: edges.joined())
        try await withUpgradedStore(from: "v7-log-terms-in-runs", seed: old.seed) { store in
            let carried = try SQLiteShell.run(store.path, "SELECT COUNT(*) FROM log_nodes WHERE pos IN (\(Self.edgesOfTheUpgradedRange.map { String(AccessLogTable.nodeKey($0)) }.joined(separator: ",")))")
            #expect(carried.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
            let stored = try await store.logLeaves(after: -1, limit: 1_000)
            #expect(stored.map(\.recordedHash) == old.leafHashes)
            for size in [1, 173, 256, 300] {
                let root = AccessLogProofTests.root(old.leafHashes[0..<size])
                #expect(try await store.logRoot(size: size) == root)
                for index in [0, size / 2, size - 1] {
                    let proof = try await store.inclusionProof(index: index, size: size)
                    #expect(MerkleProof.verifyInclusion(leafHash: old.leafHashes[index], index: index, size: size, proof: proof, root: root))
                }
            }
            // Appends go on from the upgraded tree's right edge.
            let more = Fixtures.logEntries(300..<350)
            #expect(try await store.appendLog(more) == 300)
            let all = old.leafHashes + more.map { TreeHash.leaf($0.canonicalJSON()) }
            #expect(try await store.logRoot(size: 350) == AccessLogProofTests.root(all[...]))
            let consistency = try await store.consistencyProof(from: 173, to: 350)
            #expect(MerkleProof.verifyConsistency(
                oldSize: 173, newSize: 350, oldRoot: AccessLogProofTests.root(all[0..<173]), newRoot: AccessLogProofTests.root(all[...]), proof: consistency
            ))
        }
    }

    @Test func aNodeOutsideAnyTreeStopsTheUpgradeAndChangesNothing() async throws {
        // Past each edge of the accepted range: a level above 56, and a last leaf of 2^56.
        let old = Self.versionSevenLog(Fixtures.logEntries(0..<20), extra: """

            INSERT INTO log_nodes (level, idx, hash) VALUES (60, 0, X'00');
            INSERT INTO log_nodes (level, idx, hash) VALUES (0, \(1 << 56), X'00');
            INSERT INTO log_nodes (level, idx, hash) VALUES (55, 2, X'00');
            """)
        try await withOldDatabase(at: "v7-log-terms-in-runs", seed: old.seed) { path in
            let error = String(describing: thrownError { try SQLiteHubStore(path: path) })
            #expect(error.contains("access-log nodes outside any log's tree: 3; the upgrade to v8 stops and changes nothing"))
            let levelZero = try SQLiteShell.run(path, "SELECT COUNT(*) FROM log_nodes WHERE level = 0")
            #expect(levelZero.trimmingCharacters(in: .whitespacesAndNewlines) == "21", "the 20 leaves and the planted one, in the v7 table")
            let migrations = try SQLiteShell.run(path, "SELECT identifier FROM grdb_migrations")
            #expect(migrations.contains("v7-") && !migrations.contains("v8-"))
        }
    }
}

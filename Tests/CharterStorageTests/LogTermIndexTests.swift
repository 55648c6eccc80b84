import CharterCore
@testable import CharterStorage
import CharterTestSupport
import Foundation
import Testing

/// The log's index by actor, VIN and dealer is kept in runs: auditors' filters must return exactly what
/// the entries say across runs and the unindexed tail, whoever appended them; verification must catch an
/// edited index; an existing log gets its runs when upgraded.
extension SQLiteHubStoreTests {
    /// `Fixtures.logEntries`, each also naming a dealer `dlr-(i % 11)`.
    static func entriesWithDealers(_ range: Range<Int>) -> [AccessLogEntry] {
        zip(range, Fixtures.logEntries(range)).map { index, entry in
            var entry = entry
            entry.target?.dealer = "dlr-\(index % 11)"
            return entry
        }
    }

    @Test func termFiltersAcrossRunsAndTheUnindexedTailReturnWhatTheEntriesSay() async throws {
        let directory = try TemporaryDirectory("charterhub-log-terms")
        defer { directory.remove() }
        let hub = try SQLiteHubStore(dataDirectory: directory.path)
        let cli = try SQLiteHubStore(dataDirectory: directory.path)
        let run = LogTermIndex.runSize
        let entries = Self.entriesWithDealers(0..<(2 * run + 900))
        _ = try await hub.appendLog(Array(entries[0..<(run + 1_000)]))
        _ = try await cli.appendLog(Array(entries[(run + 1_000)..<(2 * run + 10)]))  // another process completes run 1
        _ = try await hub.appendLog(Array(entries[(2 * run + 10)...]))
        // Two complete runs, each with the three terms of each of its entries; the rest is the tail.
        #expect(try SQLiteShell.run(hub.path, "SELECT COUNT(DISTINCT run), COUNT(*) FROM log_terms") == "2|\(2 * run * 3)\n")

        let queries = [
            AccessLogQuery(actor: "d-3", limit: 100_000),
            AccessLogQuery(vin: "VIN1", limit: 100_000),
            AccessLogQuery(dealer: "dlr-4", limit: 100_000),
            AccessLogQuery(actor: "d-5", vin: "VIN2", decision: .deny, limit: 100_000),
            AccessLogQuery(dealer: "dlr-0", action: "record.read", limit: 100_000),
            AccessLogQuery(actor: "d-1", after: run - 3, limit: 100_000),
            AccessLogQuery(vin: "VIN0", limit: 7),
        ]
        for query in queries {
            let expected = entries.indices.filter { index in
                let columns = entries[index].queryColumns
                return index > (query.after ?? -1)
                    && query.actor.map { $0 == columns.actor } ?? true && query.vin.map { $0 == columns.vin } ?? true
                    && query.dealer.map { $0 == columns.dealer } ?? true && query.action.map { $0 == columns.action } ?? true
                    && query.decision.map { $0.rawValue == columns.decision } ?? true
            }.prefix(query.limit)
            let found = try await hub.logEntries(query)
            #expect(found.map(\.index) == Array(expected), "\(query)")
            #expect(found.allSatisfy { $0.leaf == entries[$0.index].canonicalJSON() })
        }
        // Paging by `after` crosses both run ends and the tail without losing or repeating an entry.
        var paged: [Int] = []
        while true {
            let page = try await hub.logEntries(AccessLogQuery(dealer: "dlr-7", after: paged.last, limit: 97)).map(\.index)
            guard !page.isEmpty else { break }
            paged += page
        }
        #expect(paged == entries.indices.filter { $0 % 11 == 7 })
    }

    @Test func verificationHoldsTheTermIndexToEachEntry() async throws {
        let directory = try TemporaryDirectory("charterhub-log-terms-verify")
        defer { directory.remove() }
        let store = try SQLiteHubStore(dataDirectory: directory.path)
        let run = LogTermIndex.runSize
        _ = try await store.appendLog(Self.entriesWithDealers(0..<(run + 50)))
        let signer = try NoteSigner.generate(name: "charterhub.test/log")
        let size = try await store.logSize()
        try await store.saveCheckpoint(size: size, note: signer.sign(Checkpoint(origin: signer.name, size: size, root: try await store.logRoot(size: size)).text))
        #expect(try await AccessLogVerifier.verify(store, verifier: signer.verifier).size == size)

        func tampered(_ sql: String) async throws -> AccessLogVerifier.Failure? {
            let copy = directory.appending("copy-\(UUID().uuidString.prefix(6)).sqlite")
            _ = try SQLiteShell.run(store.path, "VACUUM INTO '\(copy)';")
            _ = try SQLiteShell.run(copy, sql)
            do {
                _ = try await AccessLogVerifier.verify(try SQLiteHubStore(path: copy), verifier: signer.verifier)
                return nil
            } catch let failure as AccessLogVerifier.Failure {
                return failure
            }
        }
        // A term removed: entry 1,000 would vanish from `?vin=VIN1`.
        #expect(try await tampered("DELETE FROM log_terms WHERE field = 3 AND idx = 1000;")?.index == 1_000)
        // A term changed: entry 7 would answer another dealer's filter.
        #expect(try await tampered("UPDATE log_terms SET key = key + 1 WHERE field = 2 AND idx = 7;")?.index == 7)
        // A term filed under another run, where queries never look for it.
        #expect(try await tampered("UPDATE log_terms SET run = 1 WHERE field = 1 AND idx = 4000;")?.index == 4_000)
        // An extra term for an entry.
        #expect(try await tampered("INSERT INTO log_terms VALUES (0, 3, 42, 12);")?.index == 12)
        // Entries past the last run are not indexed yet; untouched, the copy still verifies.
        #expect(try await tampered("SELECT 1;") == nil)
    }

    @Test func upgradingToVersionSevenIndexesTheRunsOfAnExistingLog() async throws {
        let run = LogTermIndex.runSize
        // Leaves are not read by the upgrade: only the columns, as the append writes them.
        let seed = """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(run + 20))
            INSERT INTO log_entries (idx, leaf, time, actor, action, decision, vin, dealer)
            SELECT i, 'leaf', '2026-01-02T00:00:00.000Z', 'd-' || (i % 7), 'vehicle.history', 'allow',
                   CASE WHEN i % 2 = 0 THEN 'VIN' || (i % 3) END, CASE WHEN i % 5 = 0 THEN 'dlr-' || (i % 11) END
            FROM n;
            """
        try await withUpgradedStore(from: "v6-record-bodies-kept-once", seed: seed) { store in
            let counts = try SQLiteShell.run(store.path, "SELECT field, COUNT(*), MIN(idx), MAX(idx) FROM log_terms WHERE run = 0 GROUP BY field ORDER BY field")
            let dealers = (0..<run).filter { $0 % 5 == 0 }, vins = (0..<run).filter { $0 % 2 == 0 }
            #expect(counts == "1|\(run)|0|\(run - 1)\n2|\(dealers.count)|0|\(dealers.last!)\n3|\(vins.count)|0|\(vins.last!)\n")
            #expect(try SQLiteShell.run(store.path, "SELECT COUNT(*) FROM log_terms WHERE run > 0") == "0\n")
            let indexes = try SQLiteShell.run(store.path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log_entries' ORDER BY name")
            #expect(indexes == "log_by_action\nlog_by_time\n")
            let byVIN = try await store.logEntries(AccessLogQuery(vin: "VIN1", limit: 100_000)).map(\.index)
            #expect(byVIN == (0...(run + 20)).filter { $0 % 2 == 0 && $0 % 3 == 1 })
        }
    }
}

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

    /// The recorded end of the indexed runs, read with the `sqlite3` shell.
    static func indexedEnd(_ path: String) throws -> Int? {
        Int(try SQLiteShell.run(path, "SELECT value FROM hub_meta WHERE key = 'log_indexed_end'").trimmingCharacters(in: .whitespacesAndNewlines))
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
        #expect(try Self.indexedEnd(hub.path) == 2 * run)
        // Rows filed under another run than their entry's are never read: neither duplicates nor disorder.
        let vin1 = AccessLogEntry.IndexedTerms.key("VIN1")
        _ = try SQLiteShell.run(hub.path, "INSERT INTO log_terms VALUES (0, 3, \(vin1), \(run)), (1, 3, \(vin1), 1), (1, 3, \(vin1), \(2 * run + 1));")

        let queries = [
            AccessLogQuery(actor: "d-3", limit: 100_000),
            AccessLogQuery(vin: "VIN1", limit: 100_000),
            AccessLogQuery(dealer: "dlr-4", limit: 100_000),
            AccessLogQuery(actor: "d-5", vin: "VIN2", decision: .deny, limit: 100_000),
            AccessLogQuery(dealer: "dlr-0", action: "record.read", limit: 100_000),
            AccessLogQuery(actor: "d-1", after: run - 3, limit: 100_000),
            AccessLogQuery(vin: "VIN0", limit: 7),
            AccessLogQuery(vin: "VIN2", after: 2 * run - 2, limit: 3),  // the last indexed entry, then the tail's first
            AccessLogQuery(actor: "d-1", after: 2 * run + 899, limit: 10),
            AccessLogQuery(actor: "d-1", after: Int.max, limit: 10),
            AccessLogQuery(dealer: "dlr-2", since: entries[run + 5].queryColumns.time, until: entries[2 * run + 300].queryColumns.time, limit: 100_000),
        ]
        for query in queries {
            let expected = entries.indices.filter { index in
                let columns = entries[index].queryColumns
                return index > (query.after ?? -1)
                    && query.actor.map { $0 == columns.actor } ?? true && query.vin.map { $0 == columns.vin } ?? true
                    && query.dealer.map { $0 == columns.dealer } ?? true && query.action.map { $0 == columns.action } ?? true
                    && query.decision.map { $0.rawValue == columns.decision } ?? true
                    && query.since.map { columns.time >= $0 } ?? true && query.until.map { columns.time <= $0 } ?? true
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
        _ = try await store.appendLog(Self.entriesWithDealers(0..<(2 * run + 50)))  // one append completes two runs
        // A row planted in the run not yet complete neither blocks the append that completes it nor stays.
        _ = try SQLiteShell.run(store.path, "INSERT INTO log_terms VALUES (2, 3, 42, \(2 * run + 60));")
        _ = try await store.appendLog(Self.entriesWithDealers((2 * run + 50)..<(3 * run + 50)))
        #expect(try SQLiteShell.run(store.path, "SELECT COUNT(*) FROM log_terms WHERE key = 42") == "0\n")
        #expect(try Self.indexedEnd(store.path) == 3 * run)
        let signer = try NoteSigner.generate(name: "charterhub.test/log")
        let size = try await store.logSize()
        try await store.saveCheckpoint(size: size, note: signer.sign(Checkpoint(origin: signer.name, size: size, root: try await store.logRoot(size: size)).text))
        #expect(try await AccessLogVerifier.verify(store, verifier: signer.verifier).size == size)

        func tampered(_ sql: String) async throws -> AccessLogVerifier.Failure? {
            try await TamperedLog.failure(of: store.path, in: directory, editedWith: sql, verifier: signer.verifier)
        }
        // A term removed: entry 1,000 would vanish from `?vin=VIN1`.
        #expect(try await tampered("DELETE FROM log_terms WHERE field = 3 AND idx = 1000;")?.index == 1_000)
        // A term changed: entry 7 would answer another dealer's filter, and no longer its own.
        #expect(try await tampered("UPDATE log_terms SET key = key + 1 WHERE field = 2 AND idx = 7;")?.index == 7)
        // A term filed under another run, where the bounded seeks never read it.
        #expect(try await tampered("UPDATE log_terms SET run = 0 WHERE field = 1 AND idx = 4100;")?.index == 4_100)
        // An extra term, and a term under a field the index does not keep.
        #expect(try await tampered("INSERT INTO log_terms VALUES (0, 3, 42, 12);")?.index == 12)
        #expect(try await tampered("INSERT INTO log_terms VALUES (0, 9, 42, 20);")?.index == 20)
        // A value that is not an integer, in a table rebuilt without STRICT to let it in: `idx = 1000` no
        // longer matches it.
        let loosened = """
            CREATE TABLE kept AS SELECT * FROM log_terms; DROP TABLE log_terms;
            CREATE TABLE log_terms (run, field, key, idx, PRIMARY KEY (run, field, key, idx)) WITHOUT ROWID;
            INSERT INTO log_terms SELECT * FROM kept; DROP TABLE kept;
            """
        #expect(try await tampered(loosened + "UPDATE log_terms SET idx = idx + 0.5 WHERE field = 3 AND idx = 1000;")?.index == 1_000)
        #expect(try await tampered(loosened + "SELECT 1;") == nil)
        // An indexed end raised past the runs: queries would skip the entries it claims.
        #expect(try await tampered("UPDATE hub_meta SET value = value + \(run) WHERE key = 'log_indexed_end';")?.index == 3 * run)
        // Lowered, queries scan more and miss nothing.
        #expect(try await tampered("UPDATE hub_meta SET value = \(run) WHERE key = 'log_indexed_end';") == nil)
    }

    @Test func runsAWriterLeftUnindexedAreFoundByScanningThenIndexedASliceAnAppend() async throws {
        try await withStore { store in
            let other = try SQLiteHubStore(path: store.path)
            let run = LogTermIndex.runSize
            let entries = Self.entriesWithDealers(0..<(2 * run + 40))
            _ = try await store.appendLog(Array(entries[0..<(2 * run)]))
            // As a hub older than v7 leaves it: entries appended, no terms, the indexed end where it was.
            _ = try SQLiteShell.run(store.path, "DELETE FROM log_terms WHERE run = 1; UPDATE hub_meta SET value = \(run) WHERE key = 'log_indexed_end';")
            // Each small append writes a slice of the run, the two processes in turn, each going on from where the
            // other stopped; until the last slice, queries scan the run, and find every entry at each step.
            var appended = 2 * run, appends = 0
            while try Self.indexedEnd(store.path) == run, appends < 100 {
                let writer = appends % 2 == 0 ? store : other
                _ = try await writer.appendLog([entries[appended]])
                appended += 1
                appends += 1
                let byActor = try await store.logEntries(AccessLogQuery(actor: "d-3", limit: 100_000)).map(\.index)
                #expect(byActor == entries.indices.filter { $0 % 7 == 3 && $0 < appended })
            }
            #expect(appends == (3 * run + LogTermIndex.rowsPerAppend - 1) / LogTermIndex.rowsPerAppend)
            #expect(try Self.indexedEnd(store.path) == 2 * run)
            #expect(try SQLiteShell.run(store.path, "SELECT COUNT(*) FROM log_terms WHERE run = 1") == "\(3 * run)\n")
            let found = try await store.logEntries(AccessLogQuery(actor: "d-3", limit: 100_000)).map(\.index)
            #expect(found == entries.indices.filter { $0 % 7 == 3 && $0 < appended })
        }
    }

    @Test func aBacklogOfRunsIsWrittenWholeAndARunThatDoesNotCountRightAgain() async throws {
        try await withStore { store in
            let run = LogTermIndex.runSize
            let entries = Self.entriesWithDealers(0..<(5 * run))
            _ = try await store.appendLog(Array(entries[0..<(4 * run)]))
            // Three runs a writer that does not index left behind: one small append catches up on the two older
            // ones whole, then writes a slice of the newest, so the index never falls further behind.
            _ = try SQLiteShell.run(store.path, "DELETE FROM log_terms WHERE run >= 1; UPDATE hub_meta SET value = \(run) WHERE key = 'log_indexed_end';")
            var appended = 4 * run
            _ = try await store.appendLog([entries[appended]])
            appended += 1
            #expect(try Self.indexedEnd(store.path) == 3 * run)
            #expect(try SQLiteShell.run(store.path, "SELECT COUNT(*) FROM log_terms WHERE run = 3") == "\(LogTermIndex.rowsPerAppend)\n")
            // While the newest is written, a recorded count that skips rows and a planted row: the run is counted
            // before queries trust it, and written again.
            _ = try SQLiteShell.run(store.path, """
                UPDATE hub_meta SET value = value + 100 WHERE key = 'log_partial_rows';
                INSERT INTO log_terms VALUES (3, 3, 42, \(3 * run + 1));
                """)
            var appends = 0
            while try Self.indexedEnd(store.path) == 3 * run, appends < 100 {
                _ = try await store.appendLog([entries[appended]])
                appended += 1
                appends += 1
            }
            #expect(try Self.indexedEnd(store.path) == 4 * run)
            #expect(try SQLiteShell.run(store.path, "SELECT COUNT(*), SUM(key = 42) FROM log_terms WHERE run = 3") == "\(3 * run)|0\n")
            let found = try await store.logEntries(AccessLogQuery(dealer: "dlr-5", limit: 100_000)).map(\.index)
            #expect(found == entries.indices.filter { $0 % 11 == 5 && $0 < appended })
        }
    }

    @Test func smallAppendsWriteEachRunFromTheTermsTheyGathered() async throws {
        try await withStore { store in
            let run = LogTermIndex.runSize
            // Past the second run, enough appends (of at least `rowsPerAppend` rows each) to write all of it.
            let entries = Self.entriesWithDealers(0..<(2 * run + 37 * (3 * run / LogTermIndex.rowsPerAppend + 1)))
            for start in stride(from: 0, to: entries.count, by: 37) {
                _ = try await store.appendLog(Array(entries[start..<min(entries.count, start + 37)]))
            }
            #expect(try Self.indexedEnd(store.path) == 2 * run)
            let expected = entries.indices.prefix(2 * run).flatMap { index in
                let terms = entries[index].queryColumns.indexedTerms
                return AccessLogEntry.IndexedTerms.Field.allCases.compactMap { field in terms[field].map { (index / run, field.rawValue, $0, index) } }
            }.sorted { $0 < $1 }.map { "\($0.0)|\($0.1)|\($0.2)|\($0.3)\n" }.joined()
            #expect(try SQLiteShell.run(store.path, "SELECT run, field, key, idx FROM log_terms ORDER BY run, field, key, idx") == expected)
        }
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
            #expect(try Self.indexedEnd(store.path) == run)
            let indexes = try SQLiteShell.run(store.path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log_entries' ORDER BY name")
            #expect(indexes == "log_by_action\nlog_by_time\n")
            let byVIN = try await store.logEntries(AccessLogQuery(vin: "VIN1", limit: 100_000)).map(\.index)
            #expect(byVIN == (0...(run + 20)).filter { $0 % 2 == 0 && $0 % 3 == 1 })
        }
    }
}


extension SQLiteHubStoreTests {
    @Test func aDatabaseANewerHubUpgradedIsRefused() async throws {
        try await withOldDatabase(at: "v7-log-terms-in-runs", seed: "INSERT INTO grdb_migrations (identifier) VALUES ('v8-from-the-future');") { path in
            let error = thrownError { try SQLiteHubStore(path: path) }
            #expect("\(String(describing: error))".contains("a newer charterhub upgraded this database"))
        }
    }
}

import CharterCore
@testable import CharterStorage
import CharterTestSupport
import Foundation
import GRDB
import Testing

/// Versions are append-only and an extraction's snapshot never moves (C4).
extension SQLiteHubStoreTests {
    func job(_ dealer: String, format: ExtractionFormat = .ndjson) -> Extraction {
        Extraction(id: Extraction.makeID(), dealer: dealer, requestedBy: dealer, format: format, purpose: nil, requestedAt: Date(), requestID: "t")
    }

    /// The whole content of a snapshot, as the worker and downloads read it.
    func content(_ store: SQLiteHubStore, _ snapshot: ExtractionSnapshot, from mark: ExtractionMark = .start) async throws -> (bytes: [UInt8], tally: ExtractionTally) {
        var tally = ExtractionTally(), bytes: [UInt8] = []
        for try await page in ExtractionContent(store: store, snapshot: snapshot, format: .ndjson, from: mark) {
            tally.add(page)
            bytes += page.bytes
        }
        return (bytes, tally)
    }

    /// The per-member limit is counted in the insert's own transaction: requests sent at once cannot all
    /// pass a count taken before any of them is written.
    @Test func concurrentRequestsCannotPassTheUnfinishedLimitTogether() async throws {
        try await withStore { store in
            try await seedDealer(store, "d-1")
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 { group.addTask { try await store.createExtraction(job("d-1"), log: [], unfinishedAtMost: 4) } }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(created == 4)
            #expect(try await store.unfinishedExtractions().count == 4)
        }
    }

    @Test func aSnapshotIsNeitherTornNorExtendedByLaterWrites() async throws {
        try await withStore { store in
            try await seedDealer(store, "d-1")
            try await seedDealer(store, "d-2")
            let first = StoredRecord.make(enteredBy: "d-1", input: try input("A"))
            _ = try await store.insert([first, StoredRecord.make(enteredBy: "d-2", input: try input("B"))], log: { _ in [] })
            let extraction = job("d-1")
            _ = try await store.createExtraction(extraction, log: [], unfinishedAtMost: .max)
            let snapshot = try await store.beginExtraction(id: extraction.id, at: Date())
            let before = try await content(store, snapshot)

            // A correction and a new record after the snapshot change nothing in it, and asking again
            // (a restarted job) returns the same snapshot.
            _ = try await store.correct(id: first.id, input: try input("A", mileage: 9), expectedVersion: nil, at: Date(), log: { _ in [] })
            _ = try await store.insert([StoredRecord.make(enteredBy: "d-1", input: try input("C"))], log: { _ in [] })
            #expect(try await store.beginExtraction(id: extraction.id, at: Date()) == snapshot)
            let after = try await content(store, snapshot)
            #expect(after.bytes == before.bytes)
            #expect(before.tally.versions == 1)

            let later = job("d-1")
            _ = try await store.createExtraction(later, log: [], unfinishedAtMost: .max)
            let now = try await content(store, try await store.beginExtraction(id: later.id, at: Date()))
            #expect(now.tally.versions == 3)
            #expect(now.tally.records == 2)
        }
    }

    @Test func recordVersionsCannotBeChangedOrRemoved() async throws {
        try await withStore { store in
            try await seedDealer(store)
            let record = StoredRecord.make(enteredBy: "d-1", input: try input("A"))
            _ = try await store.insert([record], log: { _ in [] })
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "UPDATE record_versions SET body = '{}'") }
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "DELETE FROM record_versions") }
            #expect(try SQLiteShell.run(store.path, "SELECT COUNT(*) FROM record_versions").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        }
    }

    @Test func resumeMarksPointAtPageStartsThatRenderTheRestOfTheContent() async throws {
        try await withStore { store in
            try await seedDealer(store)
            let records = try (0..<(ExtractionContent.pageSize + 300)).map { StoredRecord.make(enteredBy: "d-1", input: try input("R-\($0)", mileage: $0)) }
            _ = try await store.insert(records, log: { _ in [] })
            let extraction = job("d-1")
            _ = try await store.createExtraction(extraction, log: [], unfinishedAtMost: .max)
            let snapshot = try await store.beginExtraction(id: extraction.id, at: Date())
            let whole = try await content(store, snapshot)
            #expect(whole.tally.marks.count == 2)
            let manifest = ExtractionManifest(
                id: extraction.id, dealer: "d-1", requestedBy: "d-1", format: .ndjson, recordCount: whole.tally.records, versionCount: whole.tally.versions,
                bytes: whole.tally.bytes, sha256: whole.tally.sha256, snapshotAt: "t", logTreeSize: 0, policyHash: "p"
            )
            try await store.completeExtraction(id: extraction.id, manifest: manifest, marks: whole.tally.marks, log: [])
            let second = whole.tally.marks[1]
            #expect(try await store.extractionMark(id: extraction.id, atOrBefore: second.offset + 10) == second)
            #expect(try await store.extractionMark(id: extraction.id, atOrBefore: second.offset - 1) == .start)
            let rest = try await content(store, snapshot, from: second)
            #expect(rest.bytes[...] == whole.bytes[second.offset...])
            #expect(try await store.extraction(id: extraction.id)?.status == .ready)
            #expect(try await store.extraction(id: extraction.id)?.manifest == manifest)
        }
    }

    /// Builds a database at migration `version`, fills it with `seed`, closes it, and runs `body` with its
    /// path, for a store to open (and so upgrade) it.
    func withOldDatabase(at version: String, seed: String, _ body: (String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("charterhub-migration")
        defer { directory.remove() }
        let path = directory.appending("old.sqlite")
        let queue = try DatabaseQueue(path: path)
        try HubSchema.migrator().migrate(queue, upTo: version)
        try await queue.write { db in try db.execute(sql: seed) }
        try queue.close()
        try await body(path)
    }

    /// `withOldDatabase`, with `body` run on the store that upgraded it.
    func withUpgradedStore(from version: String, seed: String, _ body: (SQLiteHubStore) async throws -> Void) async throws {
        try await withOldDatabase(at: version, seed: seed) { path in try await body(try SQLiteHubStore(path: path)) }
    }

    /// A v5 database's rows for record `seq`, whose current `version` in `records` holds `body`, and that
    /// version's row; `versionBody` makes the version differ from the record.
    func versionFiveRows(seq: Int, sourceRef: String, body: RecordInput, version: Int = 1, versionBody: RecordInput? = nil) -> String {
        let (text, hash) = versionFiveBody(body)
        return """
            INSERT INTO records (seq, id, entered_by, source_ref, vin, performed_on, recorded_at, content_hash, body, version)
            VALUES (\(seq), 'rec_\(seq)', 'd-1', '\(sourceRef)', '\(body.vin.value)', '\(body.performedOn)', '2026-01-02T00:00:00.000Z', '\(hash)', '\(text)', \(version));
            """ + versionFiveVersion(seq: seq, version: version, body: versionBody ?? body)
    }

    /// A v5 database's row for version `version` of record `seq`.
    func versionFiveVersion(seq: Int, version: Int, body: RecordInput) -> String {
        let (text, hash) = versionFiveBody(body)
        return """
            INSERT INTO record_versions (record_seq, record_id, version, entered_by, recorded_at, content_hash, body)
            VALUES (\(seq), 'rec_\(seq)', \(version), 'd-1', '2026-01-02T00:00:00.000Z', '\(hash)', '\(text)');
            """
    }

    private func versionFiveBody(_ input: RecordInput) -> (text: String, hash: String) {
        let body = StoredRecord.canonicalJSON(input)
        return (String(decoding: body, as: UTF8.self), StoredRecord.contentHash(body))
    }

    static let versionFiveDealer = """
        INSERT INTO dealer_groups VALUES ('g', 'G', 't');
        INSERT INTO members (id, kind, group_id, name, status, created_at) VALUES ('d-1', 'dealer', 'g', 'D', 'active', 't');
        """

    @Test func upgradingToVersionSixKeepsEachBodyOnlyInItsVersion() async throws {
        let earlier = try input("A", mileage: 5), current = try input("A", mileage: 9), other = try input("B", mileage: 7, performedOn: "2026-01-02")
        try await withUpgradedStore(from: "v5-record-versions-keyed-by-record-seq", seed: Self.versionFiveDealer
            + versionFiveRows(seq: 1, sourceRef: "A", body: current, version: 2) + versionFiveVersion(seq: 1, version: 1, body: earlier)
            + versionFiveRows(seq: 2, sourceRef: "B", body: other)) { store in
            let columns = try SQLiteShell.run(store.path, "SELECT name FROM pragma_table_info('records')").split(separator: "\n")
            #expect(!columns.contains("body"))
            #expect(columns.contains("version"))
            // Reads return each record's current version.
            let record = try await store.record(id: "rec_1")
            #expect(record?.version == 2)
            #expect(record?.input == current)
            #expect(try await store.history(vin: current.vin).map(\.id) == ["rec_1", "rec_2"])
            // A correction after the upgrade becomes what reads return, and replaying an older version still replays.
            let corrected = try await store.correct(id: "rec_2", input: try input("B", mileage: 8, performedOn: "2026-01-02"), expectedVersion: 1, at: Date(), log: { _ in [] })
            guard case .corrected = corrected else { Issue.record("expected a correction, got \(corrected)"); return }
            #expect(try await store.record(id: "rec_2")?.input.mileageKm == 8)
            let replay = try await store.insert([StoredRecord.make(enteredBy: "d-1", input: earlier)], log: { _ in [] })
            guard case .replayed(let replayed) = replay.first else { Issue.record("expected a replay, got \(replay)"); return }
            #expect(replayed.id == "rec_1" && replayed.input == current)
        }
    }

    @Test func upgradingToVersionSixStopsWhenARecordDiffersFromItsCurrentVersion() async throws {
        let stored = try input("A", mileage: 5), differing = try input("A", mileage: 6)
        try await withOldDatabase(
            at: "v5-record-versions-keyed-by-record-seq",
            seed: Self.versionFiveDealer + versionFiveRows(seq: 1, sourceRef: "A", body: stored, versionBody: differing)
        ) { path in
            #expect {
                _ = try SQLiteHubStore(path: path)
            } throws: { error in
                "\(error)".contains("records whose current version holds another body: 1; the upgrade to v6 stops and changes nothing")
            }
            // Nothing changed: the body is still in `records`, and the schema stays at v5.
            let body = try SQLiteShell.run(path, "SELECT body FROM records")
            let migrations = try SQLiteShell.run(path, "SELECT identifier FROM grdb_migrations")
            #expect(body.contains(#""mileageKm":5"#))
            #expect(migrations.contains("v5-") && !migrations.contains("v6-"))
        }
    }

    @Test func upgradingFromVersionTwoMakesEveryExistingRecordItsFirstVersion() async throws {
        try await withUpgradedStore(from: "v2-access-log", seed: """
            INSERT INTO dealer_groups VALUES ('g', 'G', 't');
            INSERT INTO members VALUES ('d-1', 'dealer', 'g', 'D', 'active', 't');
            INSERT INTO records (id, entered_by, source_ref, vin, performed_on, recorded_at, content_hash, body)
            VALUES ('rec_1', 'd-1', 'A', 'VF3ABCDEF12345678', '2026-01-01', '2026-01-02T00:00:00.000Z', 'h',
                    '{"kind":"service","mileageKm":5,"operationType":"maintenance","performedOn":"2026-01-01","sourceRef":"A","vin":"VF3ABCDEF12345678"}');
            """) { store in
            #expect(try await store.record(id: "rec_1")?.version == 1)
            let extraction = job("d-1")
            _ = try await store.createExtraction(extraction, log: [], unfinishedAtMost: .max)
            let all = try await content(store, try await store.beginExtraction(id: extraction.id, at: Date()))
            #expect(all.tally.versions == 1)
            #expect(String(decoding: all.bytes, as: UTF8.self).hasPrefix(#"{"id":"rec_1","version":1,"recordedAt":"2026-01-02T00:00:00.000Z","enteredBy":"d-1","kind":"service""#))
        }
    }

    @Test func upgradingFromVersionFourKeysVersionsByRecordSeqAndKeepsEveryOne() async throws {
        let body = #"{"kind":"service","mileageKm":5,"operationType":"maintenance","performedOn":"2026-01-01","sourceRef":"A","vin":"VF3ABCDEF12345678"}"#
        try await withUpgradedStore(from: "v4-dealer-sales-and-custody", seed: """
            INSERT INTO dealer_groups VALUES ('g', 'G', 't');
            INSERT INTO members (id, kind, group_id, name, status, created_at) VALUES ('d-1', 'dealer', 'g', 'D', 'active', 't');
            INSERT INTO records (seq, id, entered_by, source_ref, vin, performed_on, recorded_at, content_hash, body, version)
            VALUES (7, 'rec_1', 'd-1', 'A', 'VF3ABCDEF12345678', '2026-01-01', '2026-01-02T00:00:00.000Z', 'h2', '\(body)', 2),
                   (3, 'rec_2', 'd-1', 'B', 'VF3ABCDEF12345678', '2026-01-01', '2026-01-02T00:00:00.000Z', 'h1', '\(body)', 1);
            INSERT INTO record_versions (seq, record_id, version, entered_by, recorded_at, content_hash, body)
            VALUES (10, 'rec_1', 1, 'd-1', '2026-01-02T00:00:00.000Z', 'h1', '\(body)'),
                   (11, 'rec_2', 1, 'd-1', '2026-01-02T00:00:00.000Z', 'h1', '\(body)'),
                   (12, 'rec_1', 2, 'd-1', '2026-01-02T00:00:00.000Z', 'h2', '\(body)');
            """) { store in
            func versions() throws -> String {
                try SQLiteShell.run(store.path, "SELECT seq, record_seq, record_id, version FROM record_versions ORDER BY seq")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // Every version keeps its sequence (extraction marks point at it) and names its record's row.
            #expect(try versions() == "10|7|rec_1|1\n11|3|rec_2|1\n12|7|rec_1|2")
            // The new key is unique and the C4 triggers came back with the rebuilt table.
            #expect(throws: (any Error).self) {
                _ = try SQLiteShell.run(store.path, "INSERT INTO record_versions (record_seq, record_id, version, entered_by, recorded_at, content_hash, body) VALUES (7, 'rec_1', 2, 'd-1', 't', 'h', '{}')")
            }
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "UPDATE record_versions SET body = '{}'") }
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "DELETE FROM record_versions") }
            // A correction after the upgrade appends under the same key, and a new record under its own row.
            let corrected = try await store.correct(id: "rec_1", input: try input("A", mileage: 3000), expectedVersion: 2, at: Date(), log: { _ in [] })
            guard case .corrected(let next) = corrected else { Issue.record("expected a correction, got \(corrected)"); return }
            #expect(next.version == 3)
            _ = try await store.insert([StoredRecord.make(enteredBy: "d-1", input: try input("C"))], log: { _ in [] })
            #expect(try versions().hasPrefix("10|7|rec_1|1\n11|3|rec_2|1\n12|7|rec_1|2\n13|7|rec_1|3\n14|8|rec_"))
            let extraction = job("d-1")
            _ = try await store.createExtraction(extraction, log: [], unfinishedAtMost: .max)
            #expect(try await content(store, try await store.beginExtraction(id: extraction.id, at: Date())).tally.versions == 5)
        }
    }
}

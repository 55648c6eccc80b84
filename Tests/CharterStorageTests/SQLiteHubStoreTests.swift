import CharterCore
@testable import CharterStorage
import CharterTestSupport
import Foundation
import GRDB
import Testing

@Suite struct SQLiteHubStoreTests {
    func withStore(_ body: (SQLiteHubStore) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("charterhub-store")
        defer { directory.remove() }
        try await body(try SQLiteHubStore(dataDirectory: directory.path))
    }

    func input(_ sourceRef: String, mileage: Int = 1000, performedOn: String = "2026-01-01") throws -> RecordInput {
        RecordInput(
            sourceRef: sourceRef, vin: try VIN(validating: "VF3ABCDEF12345678"), kind: .service,
            operationType: "maintenance", performedOn: CalendarDate(performedOn)!, mileageKm: mileage
        )
    }

    func certificate(_ member: String) -> MemberCertificate {
        MemberCertificate(serial: "s-\(member)", memberID: member, fingerprint: "f-\(member)", notAfter: Date() + 3600, issuedAt: Date())
    }

    func seedDealer(_ store: SQLiteHubStore, _ id: String = "d-1") async throws {
        if try await store.loadDirectory().groups["g-1"] == nil { try await store.addGroup(DealerGroup(id: "g-1", name: "G1")) }
        try await store.addMember(Member(id: id, kind: .dealer, group: "g-1", name: id), certificate: certificate(id))
    }

    /// Every acknowledged write must survive the machine: the writer syncs the WAL at each commit (`FULL`),
    /// not only at checkpoints (`NORMAL`, which GRDB's pool sets when it turns WAL on).
    @Test func theWriterSyncsEveryCommit() async throws {
        try await withStore { store in
            let (mode, level) = try await store.pool.writeWithoutTransaction { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(mode == "wal")
            #expect(level == 2, "PRAGMA synchronous is \(level.map(String.init) ?? "unset") on the writer; 2 is FULL")
        }
    }

    /// Upkeep copies committed pages into the database file itself, off the writer: a copy of the file
    /// alone, without its write-ahead log, holds what was committed before a round and not what came after.
    @Test func upkeepCopiesCommittedPagesIntoTheFileItself() async throws {
        try await withStore { store in
            func membersInACopyOfTheFileAlone() throws -> [String] {
                let copy = store.path + "-copy-\(UUID().uuidString)"
                try FileManager.default.copyItem(atPath: store.path, toPath: copy)
                return try DatabaseQueue(path: copy).read { db in try String.fetchAll(db, sql: "SELECT id FROM members ORDER BY id") }
            }
            try await seedDealer(store, "d-1")
            #expect(try await store.upkeep())
            #expect(try await !store.upkeep(), "nothing was committed since the last round")
            try await seedDealer(store, "d-2")
            #expect(try membersInACopyOfTheFileAlone() == ["d-1"])
            #expect(try await store.upkeep())
            #expect(try membersInACopyOfTheFileAlone() == ["d-1", "d-2"])
        }
    }

    @Test func replaysAndConflictsAreDecidedPerDealerAndSourceRef() async throws {
        try await withStore { store in
            try await seedDealer(store, "d-1")
            try await seedDealer(store, "d-2")
            let first = StoredRecord.make(enteredBy: "d-1", input: try input("A"))
            let outcomes = try await store.insert([
                first,
                StoredRecord.make(enteredBy: "d-1", input: try input("A")),
                StoredRecord.make(enteredBy: "d-1", input: try input("A", mileage: 2000)),
                StoredRecord.make(enteredBy: "d-2", input: try input("A", mileage: 2000)),
            ], log: { _ in [] })
            #expect(outcomes[0] == .created(first))
            guard case .replayed(let replayed) = outcomes[1] else { Issue.record("expected a replay, got \(outcomes[1])"); return }
            #expect(replayed.id == first.id)
            #expect(outcomes[2] == .conflict(existingID: first.id))
            guard case .created = outcomes[3] else { Issue.record("another dealer may reuse a sourceRef, got \(outcomes[3])"); return }
            #expect(try await store.record(id: first.id)?.input.mileageKm == 1000)
        }
    }

    @Test func historyIsOrderedByDateOfWork() async throws {
        try await withStore { store in
            try await seedDealer(store)
            _ = try await store.insert([
                StoredRecord.make(enteredBy: "d-1", input: try input("late", performedOn: "2026-03-01")),
                StoredRecord.make(enteredBy: "d-1", input: try input("early", performedOn: "2025-03-01")),
            ], log: { _ in [] })
            let history = try await store.history(vin: try VIN(validating: "VF3ABCDEF12345678"))
            #expect(try history.map { try RecordDecoder.readStored($0.body).sourceRef } == ["early", "late"])
            #expect(try await store.history(vin: try VIN(validating: "VF3ZZZZZZ12345678")).isEmpty)
        }
    }

    @Test func directoryChangesMoveTheRevision() async throws {
        try await withStore { store in
            let start = try await store.directoryRevision()
            try await seedDealer(store)
            let afterAdd = try await store.directoryRevision()
            #expect(afterAdd > start)
            try await store.revokeMember("d-1", at: Date())
            #expect(try await store.directoryRevision() > afterAdd)
            let directory = try await store.loadDirectory()
            #expect(directory.members["d-1"]?.status == .revoked)
            #expect(directory.certificates["f-d-1"]?.revokedAt != nil)
        }
    }

    @Test func theSchemaEnforcesGroupsAndUniqueness() async throws {
        try await withStore { store in
            await #expect(throws: StorageError(.invalidReference, "")) {
                try await store.addMember(Member(id: "d-x", kind: .dealer, group: "nope", name: "x"), certificate: certificate("d-x"))
            }
            try await seedDealer(store)
            await #expect(throws: StorageError(.alreadyExists, "")) { try await seedDealer(store) }
            await #expect(throws: StorageError(.notFound, "")) { try await store.revokeMember("ghost", at: Date()) }
        }
    }

    @Test func aSecondConnectionSeesCommittedChanges() async throws {
        let directory = try TemporaryDirectory("charterhub-store")
        defer { directory.remove() }
        let server = try SQLiteHubStore(dataDirectory: directory.path)
        let cli = try SQLiteHubStore(dataDirectory: directory.path)
        try await seedDealer(cli)
        #expect(try await server.loadDirectory().members["d-1"] != nil)
    }
}

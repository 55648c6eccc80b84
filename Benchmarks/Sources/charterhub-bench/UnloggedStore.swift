import CharterCore
import CharterStorage
import Foundation

/// A store that drops access-log entries: the benchmark-only way to measure what logging costs.
/// It exists only in this benchmark target; no production build or flag can reach it.
struct UnloggedStore: HubStore {
    let base: SQLiteHubStore

    func directoryRevision() async throws -> Int64 { try await base.directoryRevision() }
    func loadDirectory() async throws -> MemberDirectory { try await base.loadDirectory() }
    func addGroup(_ group: DealerGroup) async throws { try await base.addGroup(group) }
    func addMember(_ member: Member, certificate: MemberCertificate) async throws { try await base.addMember(member, certificate: certificate) }
    func revokeMember(_ id: String, at date: Date) async throws { try await base.revokeMember(id, at: date) }
    func insert(_ records: [StoredRecord], log: @Sendable ([InsertOutcome]) -> [AccessLogEntry]) async throws -> [InsertOutcome] {
        try await base.insert(records, log: { _ in [] })
    }
    func record(id: String) async throws -> StoredRecord? { try await base.record(id: id) }
    func history(vin: VIN) async throws -> [StoredRecord] { try await base.history(vin: vin) }
    func appendLog(_ entries: [AccessLogEntry]) async throws -> Int { 0 }
    func logSize() async throws -> Int { try await base.logSize() }
    func logRoot(size: Int) async throws -> TreeHash { try await base.logRoot(size: size) }
    func inclusionProof(index: Int, size: Int) async throws -> [TreeHash] { try await base.inclusionProof(index: index, size: size) }
    func consistencyProof(from: Int, to: Int) async throws -> [TreeHash] { try await base.consistencyProof(from: from, to: to) }
    func logEntries(_ query: AccessLogQuery) async throws -> [LoggedEntry] { try await base.logEntries(query) }
    func logLeafHashes(from: Int, to: Int) async throws -> [Int: TreeHash] { try await base.logLeafHashes(from: from, to: to) }
    func saveCheckpoint(size: Int, note: String) async throws { try await base.saveCheckpoint(size: size, note: note) }
    func latestCheckpoint() async throws -> (size: Int, note: String)? { try await base.latestCheckpoint() }
}

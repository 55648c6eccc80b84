import CharterCore
import CharterStorage
import CharterTestSupport
import Foundation

/// A store that drops access-log entries: the benchmark-only way to measure what logging costs.
/// It exists only in this benchmark target; no production build or flag can reach it.
struct UnloggedStore: HubStore, ForwardingLogReads {
    let base: SQLiteHubStore

    func directoryRevision() async throws -> Int64 { try await base.directoryRevision() }
    func loadDirectory() async throws -> MemberDirectory { try await base.loadDirectory() }
    func addGroup(_ group: DealerGroup) async throws { try await base.addGroup(group) }
    func addMember(_ member: Member, certificate: MemberCertificate) async throws { try await base.addMember(member, certificate: certificate) }
    func revokeMember(_ id: String, at date: Date) async throws { try await base.revokeMember(id, at: date) }
    func insert(_ records: [StoredRecord], log: @Sendable ([InsertOutcome]) -> [AccessLogEntry]) async throws -> [InsertOutcome] {
        try await base.insert(records, log: { _ in [] })
    }
    func correct(
        id: String, input: RecordInput, expectedVersion: Int?, at date: Date, log: @Sendable (CorrectionOutcome) -> [AccessLogEntry]
    ) async throws -> CorrectionOutcome {
        try await base.correct(id: id, input: input, expectedVersion: expectedVersion, at: date, log: { _ in [] })
    }
    func record(id: String) async throws -> StoredRecord? { try await base.record(id: id) }
    func history(vin: VIN) async throws -> [RecordDocument] { try await base.history(vin: vin) }
    func appendLog(_ entries: [AccessLogEntry]) async throws -> Int { 0 }
    func appendLogBlocking(_ entries: [AccessLogEntry]) throws -> Int { 0 }
    func upkeep() async throws -> Bool { try await base.upkeep() }
    func createExtraction(_ job: Extraction, log: [AccessLogEntry], unfinishedAtMost limit: Int) async throws -> Bool {
        try await base.createExtraction(job, log: [], unfinishedAtMost: limit)
    }
    func extraction(id: String) async throws -> Extraction? { try await base.extraction(id: id) }
    func unfinishedExtractions() async throws -> [Extraction] { try await base.unfinishedExtractions() }
    func beginExtraction(id: String, at date: Date) async throws -> ExtractionSnapshot { try await base.beginExtraction(id: id, at: date) }
    func extractionVersions(_ snapshot: ExtractionSnapshot, after cursor: Int64, limit: Int) async throws -> StoredVersionPage {
        try await base.extractionVersions(snapshot, after: cursor, limit: limit)
    }
    func completeExtraction(id: String, manifest: ExtractionManifest, marks: [ExtractionMark], log: [AccessLogEntry]) async throws {
        try await base.completeExtraction(id: id, manifest: manifest, marks: marks, log: [])
    }
    func failExtraction(id: String, reason: String, log: [AccessLogEntry]) async throws { try await base.failExtraction(id: id, reason: reason, log: []) }
    func extractionMark(id: String, atOrBefore offset: Int) async throws -> ExtractionMark { try await base.extractionMark(id: id, atOrBefore: offset) }
    func dealerStanding(id: String) async throws -> DealerStanding? { try await base.dealerStanding(id: id) }
    func applySale(_ action: SaleAction, dealer: String, by actor: String, at date: Date, log: @Sendable (SaleOutcome) -> [AccessLogEntry]) async throws -> SaleOutcome {
        try await base.applySale(action, dealer: dealer, by: actor, at: date) { _ in [] }
    }
    func transfer(from: String, to: String, by actor: String, at date: Date, log: @Sendable (TransferOutcome) -> [AccessLogEntry]) async throws -> TransferOutcome {
        try await base.transfer(from: from, to: to, by: actor, at: date) { _ in [] }
    }
}

import Foundation

/// Where vehicle-history records live. Owned by the core; see `DirectoryStore` for why.
public protocol RecordStore: Sendable {
    /// Stores `records` in one transaction and says, per record and in order, what happened.
    ///
    /// A record whose `(enteredBy, sourceRef)` already exists is a replay when its content is identical
    /// (the stored record is returned) and a conflict otherwise (nothing is written for it).
    ///
    /// `log` turns the outcomes into access-log entries, which are appended in the same transaction:
    /// a write is never durable without its log entry, nor the reverse.
    func insert(_ records: [StoredRecord], log: @Sendable ([InsertOutcome]) -> [AccessLogEntry]) async throws -> [InsertOutcome]
    /// Stores `input` as the next version of record `id`, unless it equals the current version (nothing is
    /// written) or `expectedVersion` is given and is not the current one (optimistic concurrency).
    /// `log` turns the outcome into access-log entries appended in the same transaction.
    func correct(
        id: String, input: RecordInput, expectedVersion: Int?, at date: Date, log: @Sendable (CorrectionOutcome) -> [AccessLogEntry]
    ) async throws -> CorrectionOutcome
    /// One record by id, at its latest version.
    func record(id: String) async throws -> StoredRecord?
    /// The latest version of every record of `vin` across the network, ordered by `performedOn`, then by
    /// arrival, as documents: a history is served by splicing stored bodies, not by decoding them.
    func history(vin: VIN) async throws -> [RecordDocument]
}

/// What became of one record sent for insertion.
public enum InsertOutcome: Sendable, Hashable {
    /// Stored now.
    case created(StoredRecord)
    /// The same dealer sent the same content under the same `sourceRef` before; this is the stored one.
    case replayed(StoredRecord)
    /// The same dealer used that `sourceRef` for different content; `existingID` is the record that holds it.
    case conflict(existingID: String)
}

/// What became of a correction.
public enum CorrectionOutcome: Sendable, Hashable {
    /// Stored as a new version.
    case corrected(StoredRecord)
    /// Identical to the current version; nothing was written.
    case unchanged(StoredRecord)
    /// The record has moved on from the version the caller expected; this is the current one.
    case stale(current: StoredRecord)
    /// No record has that id.
    case notFound
}

/// The whole persistence interface of the hub.
public typealias HubStore = DirectoryStore & RecordStore & AccessLogStore & ExtractionStore & DealerStore & StoreUpkeep

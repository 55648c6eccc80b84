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
    /// One record by id.
    func record(id: String) async throws -> StoredRecord?
    /// Every record of `vin` across the network, ordered by `performedOn`, then by arrival.
    func history(vin: VIN) async throws -> [StoredRecord]
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

/// The whole persistence interface of the hub.
public typealias HubStore = DirectoryStore & RecordStore & AccessLogStore

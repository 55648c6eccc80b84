import Foundation

/// Where the access log lives: leaves in order, every complete-subtree hash (so proofs need O(log n)
/// reads), and signed checkpoints. Owned by the core so any backend can keep it.
public protocol AccessLogStore: Sendable {
    /// Appends `entries` in one durable transaction and returns the index of the first.
    func appendLog(_ entries: [AccessLogEntry]) async throws -> Int
    /// `appendLog` on the calling thread, which waits until the entries are durable: for a writer with a
    /// thread of its own (the hub's log sequencer), so that a commit costs no hop between threads.
    func appendLogBlocking(_ entries: [AccessLogEntry]) throws -> Int
    /// The number of leaves.
    func logSize() async throws -> Int
    /// The root of the tree of the first `size` leaves.
    func logRoot(size: Int) async throws -> TreeHash
    /// RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves (`index < size ≤ logSize`);
    /// a range outside the log is refused by the store, in the same read as the proof.
    func inclusionProof(index: Int, size: Int) async throws -> [TreeHash]
    /// RFC 9162 consistency proof between two tree sizes (`0 < from ≤ to ≤ logSize`).
    func consistencyProof(from: Int, to: Int) async throws -> [TreeHash]
    /// Entries matching `query`, in log order.
    func logEntries(_ query: AccessLogQuery) async throws -> [LoggedEntry]
    /// Up to `limit` leaves after index `after`, in order, each with the leaf hash recorded when it was
    /// appended: what offline verification reads, page by page.
    func logLeaves(after: Int, limit: Int) async throws -> [LoggedLeaf]
    /// Keeps a signed checkpoint of `size`.
    func saveCheckpoint(size: Int, note: String) async throws
    /// The checkpoint of the largest size, if any.
    func latestCheckpoint() async throws -> (size: Int, note: String)?
}

/// One leaf of the log with its position.
public struct LoggedEntry: Sendable, Hashable {
    public let index: Int
    /// The leaf bytes (canonical JSON).
    public let leaf: Data

    public init(index: Int, leaf: Data) {
        self.index = index
        self.leaf = leaf
    }
}

/// One stored leaf as offline verification reads it.
public struct LoggedLeaf: Sendable, Hashable {
    public let index: Int
    /// The leaf bytes (canonical JSON).
    public let leaf: [UInt8]
    /// The leaf hash the log recorded at append time; nil when none is stored, which verification refuses.
    public let recordedHash: TreeHash?
    /// The columns stored beside the leaf for filtered queries, which verification holds to the leaf.
    public let columns: AccessLogEntry.QueryColumns
    /// What the log's term index holds for this leaf, which verification holds to the leaf too; nil when
    /// the leaf is not indexed yet (the store's filters scan such leaves).
    public let indexedTerms: AccessLogEntry.IndexedTerms?

    public init(index: Int, leaf: [UInt8], recordedHash: TreeHash?, columns: AccessLogEntry.QueryColumns, indexedTerms: AccessLogEntry.IndexedTerms?) {
        self.index = index
        self.leaf = leaf
        self.recordedHash = recordedHash
        self.columns = columns
        self.indexedTerms = indexedTerms
    }
}

/// A filter over the access log, for auditors.
public struct AccessLogQuery: Sendable, Hashable {
    public var actor: String?
    public var vin: String?
    public var dealer: String?
    public var action: String?
    public var decision: AccessLogEntry.Decision?
    /// Inclusive RFC 3339 bounds on `time`.
    public var since: String?
    public var until: String?
    /// Only entries with an index greater than this (pagination cursor).
    public var after: Int?
    public var limit: Int

    public init(
        actor: String? = nil, vin: String? = nil, dealer: String? = nil, action: String? = nil,
        decision: AccessLogEntry.Decision? = nil, since: String? = nil, until: String? = nil, after: Int? = nil, limit: Int = 100
    ) {
        self.actor = actor
        self.vin = vin
        self.dealer = dealer
        self.action = action
        self.decision = decision
        self.since = since
        self.until = until
        self.after = after
        self.limit = limit
    }
}

import Foundation

/// Where extraction jobs live, and how their content is read back from the record versions.
///
/// Record versions are append-only and numbered in commit order, so "every version of this dealer's
/// records up to sequence number S" is a snapshot that never changes once taken: a job that restarts,
/// and every download, reads exactly the same rows.
public protocol ExtractionStore: Sendable {
    /// Records a new job together with the access-log entries of its request, in one transaction, unless
    /// its requester already has `limit` jobs pending or running: then it writes nothing and returns false.
    /// The count and the insert share the transaction, so concurrent requests cannot pass the limit together.
    func createExtraction(_ job: Extraction, log: [AccessLogEntry], unfinishedAtMost limit: Int) async throws -> Bool
    /// One job by id.
    func extraction(id: String) async throws -> Extraction?
    /// Jobs that are pending or running, oldest first: the worker's queue, also after a restart.
    func unfinishedExtractions() async throws -> [Extraction]
    /// Marks the job running and takes its snapshot, or returns the snapshot it already has.
    func beginExtraction(id: String, at date: Date) async throws -> ExtractionSnapshot
    /// Up to `limit` record versions of the snapshot after `cursor`, as stored.
    func extractionVersions(_ snapshot: ExtractionSnapshot, after cursor: Int64, limit: Int) async throws -> StoredVersionPage
    /// Stores the signed manifest and the resume marks, marks the job ready, and appends `log`, in one transaction.
    func completeExtraction(id: String, manifest: ExtractionManifest, marks: [ExtractionMark], log: [AccessLogEntry]) async throws
    /// Marks the job failed with `reason` and appends `log`, in one transaction.
    func failExtraction(id: String, reason: String, log: [AccessLogEntry]) async throws
    /// The last resume mark at or before byte `offset` of a ready job's content.
    func extractionMark(id: String, atOrBefore offset: Int) async throws -> ExtractionMark
}

/// The fixed bound of an extraction: whose versions, up to which sequence number, and what the log held then.
public struct ExtractionSnapshot: Sendable, Hashable {
    public let dealer: String
    /// The highest record-version sequence number committed when the snapshot was taken.
    public let throughSequence: Int64
    public let logTreeSize: Int
    public let takenAt: Date

    public init(dealer: String, throughSequence: Int64, logTreeSize: Int, takenAt: Date) {
        self.dealer = dealer
        self.throughSequence = throughSequence
        self.logTreeSize = logTreeSize
        self.takenAt = takenAt
    }
}

/// A run of rendered record versions.
public struct ExtractionPage: Sendable {
    public var bytes: [UInt8]
    /// The sequence number of the last version in the page; nil when the page is empty (the end).
    public var lastSequence: Int64?
    /// Versions in the page, and how many of them are first versions (new records).
    public var versions: Int
    public var records: Int

    public init(bytes: [UInt8], lastSequence: Int64?, versions: Int, records: Int) {
        self.bytes = bytes
        self.lastSequence = lastSequence
        self.versions = versions
        self.records = records
    }
}

/// Where a page starts: the content from byte `offset` on is the versions after sequence `afterSequence`.
/// The mark at offset 0 also carries the CSV header. Marks let a `Range` download resume without
/// re-rendering what the client already has.
public struct ExtractionMark: Sendable, Hashable {
    public let offset: Int
    public let afterSequence: Int64

    public init(offset: Int, afterSequence: Int64) {
        self.offset = offset
        self.afterSequence = afterSequence
    }

    /// The start of the content.
    public static let start = ExtractionMark(offset: 0, afterSequence: 0)
}

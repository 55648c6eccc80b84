import Crypto

/// What the job learns while it walks the content once: size, SHA-256, counts, and a resume mark at
/// the start of every page. The manifest is made from it.
public struct ExtractionTally {
    public private(set) var bytes = 0
    public private(set) var versions = 0
    public private(set) var records = 0
    public private(set) var marks: [ExtractionMark] = []
    private var hasher = SHA256()
    private var cursor: Int64 = 0

    public init() {}

    /// Adds the next page of the content.
    public mutating func add(_ page: ExtractionPage) {
        marks.append(ExtractionMark(offset: bytes, afterSequence: cursor))
        hasher.update(data: page.bytes)
        bytes += page.bytes.count
        versions += page.versions
        records += page.records
        if let last = page.lastSequence { cursor = last }
    }

    /// SHA-256 of everything added, lowercase hex.
    public var sha256: String {
        Hex.string(hasher.finalize())
    }
}

/// Record versions of one dealer as the store read them, in sequence order, before any rendering.
///
/// The store only reads and the caller renders, so an extraction reads the next page on the store's
/// thread while it renders this one on another core. A page is two buffers whatever its length: the
/// versions' texts sit end to end in `bytes`, with no `String` made per version.
public struct StoredVersionPage: Sendable {
    /// One version: where its record's id, its `recordedAt` timestamp and its stored canonical body lie in `bytes`.
    public struct Version: Sendable {
        public var version: Int
        public var id: Range<Int>
        public var recordedAt: Range<Int>
        public var body: Range<Int>
    }

    /// The dealer who entered every version of the page: an extraction's snapshot is one dealer's.
    public let enteredBy: String
    public private(set) var versions: [Version] = []
    public private(set) var bytes: [UInt8] = []
    /// The sequence number of the last version in the page; nil when the page is empty (the end).
    public private(set) var lastSequence: Int64?

    /// An empty page, with room for `capacity` versions.
    public init(enteredBy: String, capacity: Int = 0) {
        self.enteredBy = enteredBy
        versions.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 700)
    }

    /// Adds the version numbered `sequence`, copying its texts.
    public mutating func append(id: UnsafeRawBufferPointer, version: Int, recordedAt: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer, sequence: Int64) {
        let id = copy(id), recordedAt = copy(recordedAt), body = copy(body)
        versions.append(Version(version: version, id: id, recordedAt: recordedAt, body: body))
        lastSequence = sequence
    }

    /// Adds a version from `String`s, for callers that hold them (tests, tools).
    public mutating func append(id: String, version: Int, recordedAt: String, body: String, sequence: Int64) {
        Array(id.utf8).withUnsafeBytes { id in
            Array(recordedAt.utf8).withUnsafeBytes { recordedAt in
                Array(body.utf8).withUnsafeBytes { append(id: id, version: version, recordedAt: recordedAt, body: $0, sequence: sequence) }
            }
        }
    }

    private mutating func copy(_ text: UnsafeRawBufferPointer) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: text)
        return start..<bytes.count
    }
}

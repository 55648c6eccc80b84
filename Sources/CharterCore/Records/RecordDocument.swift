/// A stored record as reads serve it: the hub's columns and the canonical body, indexed but not
/// decoded. Views are written by splicing the body's members, so a history read costs one scan of the
/// bytes instead of a `Codable` round trip; the only member parsed is the consent a decision needs.
public struct RecordDocument: Sendable, Hashable {
    /// Assigned by the hub.
    public let id: String
    /// The dealer whose certificate sent the record.
    public let enteredBy: String
    /// When the hub received this version, as the hub wrote it (RFC 3339, UTC).
    public let recordedAt: String
    /// 1 when entered; each correction adds one (C4).
    public let version: Int
    /// The record's input as canonical JSON (`StoredRecord.canonicalJSON`).
    public let body: [UInt8]
    /// The customer's answers (D3), nil when the record names no customer.
    public let consent: Consent?
    /// Where each top-level member's value lies in `body`, by `RecordField.ordinal`.
    private let members: [Range<Int>?]

    /// Indexes `body`; a body that is not a record object of known members is refused, never served in part.
    public init(id: String, enteredBy: String, recordedAt: String, version: Int, body: [UInt8]) throws(CharterError) {
        var members = [Range<Int>?](repeating: nil, count: RecordField.allCases.count)
        var consent: Consent?
        // `withUnsafeBytes` rethrows untyped errors; the result carries the typed one out.
        try body.withUnsafeBytes { bytes in Result { () throws(CharterError) in
            var scanner = JSONScanner(bytes, task: "stored record \(id) cannot be read")
            try scanner.forEachMember { scanner, key throws(CharterError) in
                guard let field = Self.bodyFields.first(where: { scanner.bytes(in: key, equal: $0.key) })?.field else {
                    throw scanner.failure("member '\(String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[key]), as: UTF8.self))' is not a record field")
                }
                let start = scanner.position
                if field == .customer, scanner.peek() == UInt8(ascii: "{") {
                    consent = try Self.consent(inCustomer: &scanner)
                } else {
                    try scanner.skipValue()
                }
                members[field.ordinal] = start..<scanner.position
            }
            try scanner.requireEnd()
        } }.get()
        self.id = id
        self.enteredBy = enteredBy
        self.recordedAt = recordedAt
        self.version = version
        self.body = body
        self.consent = consent
        self.members = members
    }

    /// The document of a record held in memory (a write's answer, a single read).
    public init(_ record: StoredRecord) throws(CharterError) {
        try self.init(
            id: record.id, enteredBy: record.enteredBy, recordedAt: Timestamp.string(record.recordedAt), version: record.version,
            body: Array(StoredRecord.canonicalJSON(record.input))
        )
    }

    /// The JSON text of `field`'s value in the body, nil when the record does not carry it.
    public func value(of field: RecordField) -> ArraySlice<UInt8>? {
        members[field.ordinal].map { body[$0] }
    }

    /// The members a body may hold: `RecordInput`'s, never the hub's own (`id`, `visibility`, ...).
    private static let bodyFields: [(field: RecordField, key: [UInt8])] = RecordInput.CodingKeys.allCases.compactMap { key in
        RecordField(rawValue: key.stringValue).map { ($0, Array(key.stringValue.utf8)) }
    }

    private static let consentKey = Array("consent".utf8)
    private static let shareWithinGroupKey = Array(Consent.CodingKeys.shareWithinGroup.stringValue.utf8)
    private static let marketingKey = Array(Consent.CodingKeys.marketing.stringValue.utf8)

    /// Skips the customer object at the scanner, reading its `consent` member on the way.
    private static func consent(inCustomer scanner: inout JSONScanner) throws(CharterError) -> Consent? {
        var consent: Consent?
        try scanner.forEachMember { scanner, key throws(CharterError) in
            guard scanner.bytes(in: key, equal: consentKey) else { return try scanner.skipValue() }
            var share: Bool?, marketing: Bool?
            try scanner.forEachMember { scanner, key throws(CharterError) in
                if scanner.bytes(in: key, equal: shareWithinGroupKey) {
                    share = try scanner.bool()
                } else if scanner.bytes(in: key, equal: marketingKey) {
                    marketing = try scanner.bool()
                } else {
                    throw scanner.failure("customer.consent holds a member that is not an answer")
                }
            }
            guard let share, let marketing else { throw scanner.failure("customer.consent lacks an answer") }
            consent = Consent(shareWithinGroup: share, marketing: marketing)
        }
        return consent
    }
}

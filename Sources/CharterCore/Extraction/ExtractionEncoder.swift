/// Writes an extraction's content, one record version at a time, straight from the stored canonical body.
///
/// The same encoder produces the content when the job runs (to count and hash it) and again for every
/// download, so a download is byte for byte what the signed manifest describes.
public struct ExtractionEncoder: Sendable {
    public let format: ExtractionFormat

    public init(format: ExtractionFormat) {
        self.format = format
    }

    /// The CSV columns, in order. Nested objects are flattened with dotted names; `lines` is one cell
    /// holding the JSON array of service lines, since a record may carry up to 500 of them.
    public enum Column: String, Sendable, CaseIterable {
        case id, version, supersedes, recordedAt, enteredBy, sourceRef, vin, kind, operationType, performedOn, mileageKm
        case customerRef = "customer.ref"
        case customerName = "customer.name"
        case customerEmail = "customer.email"
        case customerPhone = "customer.phone"
        case customerShareWithinGroup = "customer.consent.shareWithinGroup"
        case customerMarketing = "customer.consent.marketing"
        case amountCents = "amount.cents"
        case amountCurrency = "amount.currency"
        case financingMode = "financing.mode"
        case financingMonths = "financing.months"
        case financingEndsOn = "financing.endsOn"
        case notes
        case lines
    }

    /// What comes before the first record: the CSV header row, nothing for NDJSON.
    public func header() -> [UInt8] {
        switch format {
        case .ndjson: return []
        case .csv:
            var out: [UInt8] = []
            Self.appendRow(Column.allCases.map(\.rawValue), into: &out)
            return out
        }
    }

    /// Renders a page of stored versions, one line or row each, in the page's order.
    public func page(_ stored: StoredVersionPage) throws(CharterError) -> ExtractionPage {
        var page = ExtractionPage(bytes: [], lastSequence: stored.lastSequence, versions: stored.versions.count, records: 0)
        page.bytes.reserveCapacity(stored.bytes.count + stored.versions.count * 64)
        let enteredBy = Array(stored.enteredBy.utf8)
        try enteredBy.withUnsafeBufferPointer { enteredBy throws(CharterError) in
            try stored.bytes.withUnsafeBufferPointer { bytes throws(CharterError) in
                let bytes = UnsafeRawBufferPointer(bytes)
                for version in stored.versions {
                    try append(
                        id: UnsafeRawBufferPointer(rebasing: bytes[version.id]), version: version.version,
                        recordedAt: UnsafeRawBufferPointer(rebasing: bytes[version.recordedAt]), enteredBy: UnsafeRawBufferPointer(enteredBy),
                        body: UnsafeRawBufferPointer(rebasing: bytes[version.body]), into: &page.bytes
                    )
                    if version.version == 1 { page.records += 1 }
                }
            }
        }
        return page
    }

    /// Appends one version of a record. `body` is the stored canonical JSON object of the record's input;
    /// the other texts are UTF-8.
    private func append(
        id: UnsafeRawBufferPointer, version: Int, recordedAt: UnsafeRawBufferPointer, enteredBy: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer,
        into out: inout [UInt8]
    ) throws(CharterError) {
        switch format {
        case .ndjson:
            // The body is a JSON object from the hub's own encoder: splice the version's metadata in front
            // of its members rather than decoding and re-encoding it.
            guard body.count >= 2, body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else {
                throw CharterError(.invalidRecord, "the stored body of \(String(decoding: id, as: UTF8.self)) version \(version) is not a JSON object")
            }
            out += #"{"id":"#.utf8
            CanonicalJSON.write(utf8: id, into: &out)
            out += #","version":"#.utf8
            Self.appendDecimal(version, into: &out)
            if version > 1 {
                out += #","supersedes":"#.utf8
                Self.appendDecimal(version - 1, into: &out)
            }
            out += #","recordedAt":"#.utf8
            CanonicalJSON.write(utf8: recordedAt, into: &out)
            out += #","enteredBy":"#.utf8
            CanonicalJSON.write(utf8: enteredBy, into: &out)
            if body.count > 2 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: body.dropFirst()))
            out.append(0x0A)
        case .csv:
            // The cells live on the stack: a CSV extraction renders every version twice (job and download).
            try withUnsafeTemporaryAllocation(of: RecordBodyFlattener.Cell?.self, capacity: Self.columnCount) { cells throws(CharterError) in
                cells.initialize(repeating: nil)
                try RecordBodyFlattener.flatten(body, into: cells)
                Self.appendCell(id, into: &out)
                out.append(UInt8(ascii: ","))
                Self.appendDecimal(version, into: &out)
                out.append(UInt8(ascii: ","))
                if version > 1 { Self.appendDecimal(version - 1, into: &out) }
                out.append(UInt8(ascii: ","))
                Self.appendCell(recordedAt, into: &out)
                out.append(UInt8(ascii: ","))
                Self.appendCell(enteredBy, into: &out)
                var unescaped: [UInt8] = []
                for cell in cells[Self.metadataColumns...] {
                    out.append(UInt8(ascii: ","))
                    guard let cell else { continue }
                    let raw = UnsafeRawBufferPointer(rebasing: body[cell.range])
                    if cell.hasEscapes {
                        unescaped.removeAll(keepingCapacity: true)
                        try RecordBodyFlattener.unescape(raw, into: &unescaped)
                        unescaped.withUnsafeBytes { Self.appendCell($0, into: &out) }
                    } else {
                        Self.appendCell(raw, into: &out)
                    }
                }
                out += [0x0D, 0x0A]
            }
        }
    }

    /// `id`, `version`, `supersedes`, `recordedAt`, `enteredBy`: the columns that come from the version, not the body.
    static let metadataColumns = 5
    /// How many columns a row has (`Column.allCases` is built afresh at each use).
    static let columnCount = Column.allCases.count

    /// One RFC 4180 row: CRLF at the end.
    private static func appendRow(_ cells: [String], into out: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendCell(cell, into: &out)
        }
        out += [0x0D, 0x0A]
    }

    private static func appendCell(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendCell(UnsafeRawBufferPointer($0), into: &out) }
    }

    /// One RFC 4180 cell: quoted when it holds a comma, a quote or a line break, with quotes doubled.
    private static func appendCell(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        // Comma, quote, LF and CR as bits of one word (all are below 64); a local constant, so the hot
        // loop reads no global.
        let quoted: UInt64 = 1 << 0x2C | 1 << 0x22 | 1 << 0x0A | 1 << 0x0D
        if bytes.contains(where: { $0 < 64 && quoted >> $0 & 1 == 1 }) {
            out.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// A non-negative integer's decimal digits, without making a `String` of it.
    private static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { digits in
            var rest = value.magnitude, start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]))
        }
    }
}

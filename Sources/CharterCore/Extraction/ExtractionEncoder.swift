import Foundation

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

    /// Appends one version of a record. `body` is the stored canonical JSON object of the record's input.
    public func append(id: String, version: Int, recordedAt: String, enteredBy: String, body: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(CharterError) {
        switch format {
        case .ndjson:
            // The body is a JSON object from the hub's own encoder: splice the version's metadata in front
            // of its members rather than decoding and re-encoding it.
            guard body.count >= 2, body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else {
                throw CharterError(.invalidRecord, "the stored body of \(id) version \(version) is not a JSON object")
            }
            out += #"{"id":"#.utf8
            CanonicalJSON.write(id, into: &out)
            out += #","version":"#.utf8
            out += String(version).utf8
            if version > 1 {
                out += #","supersedes":"#.utf8
                out += String(version - 1).utf8
            }
            out += #","recordedAt":"#.utf8
            CanonicalJSON.write(recordedAt, into: &out)
            out += #","enteredBy":"#.utf8
            CanonicalJSON.write(enteredBy, into: &out)
            if body.count > 2 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: body.dropFirst()))
            out.append(0x0A)
        case .csv:
            let input: RecordInput
            do {
                input = try JSONDecoder().decode(RecordInput.self, from: Data(body))
            } catch {
                throw CharterError(.invalidRecord, "the stored body of \(id) version \(version) cannot be read back: \(error)")
            }
            let cells = Column.allCases.map { column in
                Self.cell(column, id: id, version: version, recordedAt: recordedAt, enteredBy: enteredBy, input: input)
            }
            Self.appendRow(cells, into: &out)
        }
    }

    private static func cell(_ column: Column, id: String, version: Int, recordedAt: String, enteredBy: String, input: RecordInput) -> String {
        switch column {
        case .id: return id
        case .version: return String(version)
        case .supersedes: return version > 1 ? String(version - 1) : ""
        case .recordedAt: return recordedAt
        case .enteredBy: return enteredBy
        case .sourceRef: return input.sourceRef
        case .vin: return input.vin.value
        case .kind: return input.kind.rawValue
        case .operationType: return input.operationType
        case .performedOn: return input.performedOn.description
        case .mileageKm: return String(input.mileageKm)
        case .customerRef: return input.customer?.ref ?? ""
        case .customerName: return input.customer?.name ?? ""
        case .customerEmail: return input.customer?.email ?? ""
        case .customerPhone: return input.customer?.phone ?? ""
        case .customerShareWithinGroup: return input.customer.map { String($0.consent.shareWithinGroup) } ?? ""
        case .customerMarketing: return input.customer.map { String($0.consent.marketing) } ?? ""
        case .amountCents: return input.amount.map { String($0.cents) } ?? ""
        case .amountCurrency: return input.amount?.currency ?? ""
        case .financingMode: return input.financing?.mode.rawValue ?? ""
        case .financingMonths: return input.financing?.months.map(String.init) ?? ""
        case .financingEndsOn: return input.financing?.endsOn?.description ?? ""
        case .notes: return input.notes ?? ""
        case .lines:
            guard let lines = input.lines else { return "" }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // Service lines hold strings, integers and finite doubles: encoding cannot fail.
            return (try? encoder.encode(lines)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    /// One RFC 4180 row: cells quoted when they hold a comma, a quote or a line break; CRLF at the end.
    private static func appendRow(_ cells: [String], into out: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let utf8 = cell.utf8
            if utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                out.append(UInt8(ascii: "\""))
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out += utf8
            }
        }
        out += [0x0D, 0x0A]
    }
}

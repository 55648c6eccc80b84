/// One record as a given caller may see it: only the fields its decision released.
/// A withheld field is absent from the JSON, never `null`, so its existence does not leak either.
public struct RecordView: Sendable {
    public let document: RecordDocument
    public let relation: Relation
    public let fields: FieldSet

    public init(document: RecordDocument, relation: Relation, fields: FieldSet) {
        self.document = document
        self.relation = relation
        self.fields = fields
    }

    /// The view as a JSON object with sorted keys, the body's members spliced in as stored.
    public var json: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    /// Appends the view's JSON object to `out`, for answers that hold many views.
    public func write(into out: inout [UInt8]) {
        out.reserveCapacity(out.count + document.body.count + 160)
        var separator = UInt8(ascii: "{")
        for (field, key) in Self.fieldsByName where fields.contains(field) {
            let hubValue: String? = switch field {
            case .id: document.id
            case .visibility: relation.rawValue
            case .enteredBy: document.enteredBy
            case .recordedAt: document.recordedAt
            default: nil
            }
            let member = hubValue == nil ? document.value(of: field) : nil
            guard hubValue != nil || member != nil else { continue }
            out.append(separator)
            separator = UInt8(ascii: ",")
            out += key
            if let hubValue { CanonicalJSON.write(hubValue, into: &out) } else if let member { out += member }
        }
        if separator == UInt8(ascii: "{") { out.append(separator) }
        out.append(UInt8(ascii: "}"))
    }

    /// Every field with its `"name":` prefix, in key order, so views come out with sorted keys.
    private static let fieldsByName: [(field: RecordField, key: [UInt8])] = RecordField.allCases
        .sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }
        .map { ($0, Array("\"\($0.rawValue)\":".utf8)) }
}

/// One record as a given caller may see it: only the fields its decision released.
/// A withheld field is absent from the JSON, never `null`, so its existence does not leak either.
public struct RecordView: Sendable, Encodable {
    public let record: StoredRecord
    public let relation: Relation
    public let fields: FieldSet

    public init(record: StoredRecord, relation: Relation, fields: FieldSet) {
        self.record = record
        self.relation = relation
        self.fields = fields
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RecordField.self)
        let input = record.input
        for field in fields.fields {
            switch field {
            case .id: try container.encode(record.id, forKey: .id)
            case .visibility: try container.encode(relation.rawValue, forKey: .visibility)
            case .enteredBy: try container.encode(record.enteredBy, forKey: .enteredBy)
            case .recordedAt: try container.encode(Timestamp.string(record.recordedAt), forKey: .recordedAt)
            case .sourceRef: try container.encode(input.sourceRef, forKey: .sourceRef)
            case .vin: try container.encode(input.vin, forKey: .vin)
            case .kind: try container.encode(input.kind, forKey: .kind)
            case .operationType: try container.encode(input.operationType, forKey: .operationType)
            case .performedOn: try container.encode(input.performedOn, forKey: .performedOn)
            case .mileageKm: try container.encode(input.mileageKm, forKey: .mileageKm)
            case .customer: try container.encodeIfPresent(input.customer, forKey: .customer)
            case .amount: try container.encodeIfPresent(input.amount, forKey: .amount)
            case .lines: try container.encodeIfPresent(input.lines, forKey: .lines)
            case .financing: try container.encodeIfPresent(input.financing, forKey: .financing)
            case .notes: try container.encodeIfPresent(input.notes, forKey: .notes)
            }
        }
    }
}

extension RecordField: CodingKey {}

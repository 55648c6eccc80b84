/// The top-level fields of a record view: the field catalog the policy must declare, one bit each.
public enum RecordField: String, Sendable, Hashable, Codable, CaseIterable {
    case id, visibility, enteredBy, recordedAt, sourceRef, vin, kind, operationType, performedOn, mileageKm
    case customer, amount, lines, financing, notes

    /// This field's position in the catalog, for tables indexed by field.
    var ordinal: Int { bit.trailingZeroBitCount }

    /// This field's bit in a `FieldSet`.
    public var bit: UInt32 {
        switch self {
        case .id: return 1 << 0
        case .visibility: return 1 << 1
        case .enteredBy: return 1 << 2
        case .recordedAt: return 1 << 3
        case .sourceRef: return 1 << 4
        case .vin: return 1 << 5
        case .kind: return 1 << 6
        case .operationType: return 1 << 7
        case .performedOn: return 1 << 8
        case .mileageKm: return 1 << 9
        case .customer: return 1 << 10
        case .amount: return 1 << 11
        case .lines: return 1 << 12
        case .financing: return 1 << 13
        case .notes: return 1 << 14
        }
    }
}

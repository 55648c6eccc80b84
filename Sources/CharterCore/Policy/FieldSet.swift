/// A set of record fields as a bit mask, so the per-record filter decision is a few integer operations.
public struct FieldSet: Sendable, Hashable, SetAlgebra, CustomStringConvertible {
    public var rawValue: UInt32

    public init() { rawValue = 0 }
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(_ fields: some Sequence<RecordField>) {
        rawValue = fields.reduce(0) { $0 | $1.bit }
    }

    /// Every field of the catalog.
    public static let all = FieldSet(RecordField.allCases)

    public func contains(_ field: RecordField) -> Bool { rawValue & field.bit != 0 }

    /// The fields in catalog order.
    public var fields: [RecordField] { RecordField.allCases.filter(contains) }

    public var description: String { "[" + fields.map(\.rawValue).joined(separator: ", ") + "]" }

    public func union(_ other: FieldSet) -> FieldSet { FieldSet(rawValue: rawValue | other.rawValue) }
    public func intersection(_ other: FieldSet) -> FieldSet { FieldSet(rawValue: rawValue & other.rawValue) }
    public func symmetricDifference(_ other: FieldSet) -> FieldSet { FieldSet(rawValue: rawValue ^ other.rawValue) }
    public mutating func formUnion(_ other: FieldSet) { rawValue |= other.rawValue }
    public mutating func formIntersection(_ other: FieldSet) { rawValue &= other.rawValue }
    public mutating func formSymmetricDifference(_ other: FieldSet) { rawValue ^= other.rawValue }

    @discardableResult
    public mutating func insert(_ field: RecordField) -> (inserted: Bool, memberAfterInsert: RecordField) {
        let inserted = !contains(field)
        rawValue |= field.bit
        return (inserted, field)
    }

    @discardableResult
    public mutating func remove(_ field: RecordField) -> RecordField? {
        defer { rawValue &= ~field.bit }
        return contains(field) ? field : nil
    }

    @discardableResult
    public mutating func update(with field: RecordField) -> RecordField? {
        defer { rawValue |= field.bit }
        return contains(field) ? field : nil
    }
}

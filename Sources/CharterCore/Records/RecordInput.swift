/// A vehicle-history record as a DMS sends it. The format is closed: unknown members are refused,
/// so nothing the charter did not foresee can slip into the network.
public struct RecordInput: Sendable, Hashable, Encodable {
    public var sourceRef: String
    public var vin: VIN
    public var kind: RecordKind
    public var operationType: String
    public var performedOn: CalendarDate
    public var mileageKm: Int
    public var customer: Customer?
    public var amount: Amount?
    public var lines: [ServiceLine]?
    public var financing: Financing?
    public var notes: String?

    /// The most a DMS may put in `notes`.
    public static let notesLimit = 4_000
    /// The most lines one record may carry.
    public static let linesLimit = 500
    /// The highest odometer reading the hub accepts.
    public static let mileageRange = 0...2_000_000

    public init(
        sourceRef: String, vin: VIN, kind: RecordKind, operationType: String, performedOn: CalendarDate,
        mileageKm: Int, customer: Customer? = nil, amount: Amount? = nil, lines: [ServiceLine]? = nil,
        financing: Financing? = nil, notes: String? = nil
    ) {
        self.sourceRef = sourceRef
        self.vin = vin
        self.kind = kind
        self.operationType = operationType
        self.performedOn = performedOn
        self.mileageKm = mileageKm
        self.customer = customer
        self.amount = amount
        self.lines = lines
        self.financing = financing
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sourceRef, vin, kind, operationType, performedOn, mileageKm, customer, amount, lines, financing, notes
    }
}

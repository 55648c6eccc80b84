/// A vehicle-history record as a DMS sends it. The format is closed: unknown members are refused,
/// so nothing the charter did not foresee can slip into the network.
public struct RecordInput: Sendable, Hashable, Codable {
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

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sourceRef = try container.decode(String.self, forKey: .sourceRef)
        try TextRule.check(sourceRef, "sourceRef", length: 1...128)
        vin = try container.decode(VIN.self, forKey: .vin)
        kind = try container.decodeChoice(RecordKind.self, forKey: .kind)
        operationType = try container.decode(String.self, forKey: .operationType)
        performedOn = try container.decode(CalendarDate.self, forKey: .performedOn)
        mileageKm = try container.decode(Int.self, forKey: .mileageKm)
        guard Self.mileageRange.contains(mileageKm) else {
            throw CharterError.invalid("mileageKm", "mileageKm must be a whole number of kilometres from 0 to 2000000")
        }
        customer = try container.decodeIfPresent(Customer.self, forKey: .customer)
        amount = try container.decodeIfPresent(Amount.self, forKey: .amount)
        lines = try container.decodeIfPresent([ServiceLine].self, forKey: .lines)
        if let lines, lines.count > Self.linesLimit {
            throw CharterError.invalid("lines", "a record may carry at most \(Self.linesLimit) lines, got \(lines.count)")
        }
        financing = try container.decodeIfPresent(Financing.self, forKey: .financing)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        if let notes { try TextRule.check(notes, "notes", length: 1...Self.notesLimit, multiline: true) }
    }
}

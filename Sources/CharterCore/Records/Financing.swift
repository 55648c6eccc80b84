/// How a sale was paid for. Kept because financing end dates drive follow-ups (D4).
public struct Financing: Sendable, Hashable, Codable {
    /// The financing product.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case cash, loan, lease, balloon
    }

    public var mode: Mode
    public var months: Int?
    public var endsOn: CalendarDate?

    public init(mode: Mode, months: Int? = nil, endsOn: CalendarDate? = nil) {
        self.mode = mode
        self.months = months
        self.endsOn = endsOn
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case mode, months, endsOn }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decodeChoice(Mode.self, forKey: .mode)
        months = try container.decodeIfPresent(Int.self, forKey: .months)
        endsOn = try container.decodeIfPresent(CalendarDate.self, forKey: .endsOn)
        if let months, !(1...120).contains(months) {
            throw CharterError.invalid(decoder.path(CodingKeys.months), "financing.months must be between 1 and 120")
        }
    }
}

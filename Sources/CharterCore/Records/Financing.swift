/// How a sale was paid for. Kept because financing end dates drive follow-ups (D4).
public struct Financing: Sendable, Hashable, Encodable {
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
}

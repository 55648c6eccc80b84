/// A price in minor units, so amounts are exact integers and never floating point.
public struct Amount: Sendable, Hashable, Codable {
    public var cents: Int
    /// ISO 4217 alphabetic code, e.g. `EUR`.
    public var currency: String

    public init(cents: Int, currency: String) {
        self.cents = cents
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case cents, currency }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cents = try container.decode(Int.self, forKey: .cents)
        currency = try container.decode(String.self, forKey: .currency)
        guard (0...1_000_000_000_00).contains(cents) else {
            throw CharterError.invalid(decoder.path(CodingKeys.cents), "amount.cents must be between 0 and 100000000000")
        }
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw CharterError.invalid(decoder.path(CodingKeys.currency), "amount.currency must be a three-letter ISO 4217 code such as EUR")
        }
    }
}

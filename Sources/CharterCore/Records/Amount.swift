/// A price in minor units, so amounts are exact integers and never floating point.
public struct Amount: Sendable, Hashable, Encodable {
    public var cents: Int
    /// ISO 4217 alphabetic code, e.g. `EUR`.
    public var currency: String

    public init(cents: Int, currency: String) {
        self.cents = cents
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case cents, currency }
}

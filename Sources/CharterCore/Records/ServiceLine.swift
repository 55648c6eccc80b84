/// One line of an invoice or work order: a part or a labour item.
public struct ServiceLine: Sendable, Hashable, Codable {
    public var code: String
    public var label: String?
    public var quantity: Double?
    public var amountCents: Int?

    public init(code: String, label: String? = nil, quantity: Double? = nil, amountCents: Int? = nil) {
        self.code = code
        self.label = label
        self.quantity = quantity
        self.amountCents = amountCents
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case code, label, quantity, amountCents }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        quantity = try container.decodeIfPresent(Double.self, forKey: .quantity)
        amountCents = try container.decodeIfPresent(Int.self, forKey: .amountCents)
        try TextRule.check(code, decoder.path(CodingKeys.code), length: 1...64)
        if let label { try TextRule.check(label, decoder.path(CodingKeys.label), length: 1...200) }
        if let quantity, !(quantity > 0 && quantity <= 1_000_000) {
            throw CharterError.invalid(decoder.path(CodingKeys.quantity), "quantity must be greater than 0 and at most 1000000")
        }
        if let amountCents, !(-1_000_000_000_00...1_000_000_000_00).contains(amountCents) {
            throw CharterError.invalid(decoder.path(CodingKeys.amountCents), "amountCents is out of range (±100000000000)")
        }
    }
}

/// One line of an invoice or work order: a part or a labour item.
public struct ServiceLine: Sendable, Hashable, Encodable {
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
}

/// A step in the sale of a dealership, as the operator or the brand asks for it.
public enum SaleAction: Sendable, Hashable {
    /// Announces a sale to `buyer`; from then until it ends, the dealer's data is locked (C8).
    case open(SaleBuyer)
    /// Concludes the pending sale, into the buyer's group or out of the network.
    case conclude
    /// Calls the pending sale off; the dealership is active again.
    case cancel

    /// The action's name in requests, the CLI and the access log.
    public var name: String {
        switch self {
        case .open: return "open"
        case .conclude: return "conclude"
        case .cancel: return "cancel"
        }
    }
}

extension SaleAction: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case action, buyer }

    enum Name: String, CaseIterable { case open, conclude, cancel }

    /// The body of `POST /v1/dealers/{id}/sale`: `{"action":"open","buyer":{…}}`, `{"action":"conclude"}`
    /// or `{"action":"cancel"}`.
    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self, of: "a sale request")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decodeChoice(Name.self, forKey: .action) {
        case .open:
            guard container.contains(.buyer) else {
                throw CharterError.invalid("buyer", "opening a sale names the buyer: {\"name\", \"networkMember\", \"group\"?}")
            }
            self = .open(try container.decode(SaleBuyer.self, forKey: .buyer))
        case let name:
            guard !container.contains(.buyer) else {
                throw CharterError.invalid("buyer", "the buyer is named when the sale opens, not on \(name.rawValue)")
            }
            self = name == .conclude ? .conclude : .cancel
        }
    }
}

/// The body of `POST /v1/transfers`: the dealership sold outside the network and the network member
/// that receives its records (C7).
public struct TransferRequest: Sendable, Hashable, Decodable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case from, to }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self, of: "a transfer request")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decode(String.self, forKey: .from)
        to = try container.decode(String.self, forKey: .to)
        try Member.validateID(from, what: "from")
        try Member.validateID(to, what: "to")
    }
}

/// Who buys a dealership. A network member takes the dealership into its group (takeover); anyone else
/// takes it out of the network (C6).
public struct SaleBuyer: Sendable, Hashable, Codable {
    public var name: String
    /// Whether the buyer is a member of the brand's network.
    public var networkMember: Bool
    /// The buyer's ownership group, which the dealership joins on conclusion; only for a network member.
    public var group: String?

    public init(name: String, networkMember: Bool, group: String? = nil) {
        self.name = name
        self.networkMember = networkMember
        self.group = group
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, networkMember, group }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self, of: "a buyer")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        networkMember = try container.decode(Bool.self, forKey: .networkMember)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        let path = decoder.path(CodingKeys.name)
        try TextRule.check(name, path, length: 1...200)
        switch (networkMember, group) {
        case (true, nil):
            throw CharterError.invalid(decoder.path(CodingKeys.group), "a network member buying a dealership names the ownership group it joins")
        case (false, .some):
            throw CharterError.invalid(decoder.path(CodingKeys.group), "a buyer outside the network has no ownership group of the network")
        case (true, .some(let group)):
            try Member.validateID(group, what: decoder.path(CodingKeys.group))
        case (false, nil):
            break
        }
    }
}

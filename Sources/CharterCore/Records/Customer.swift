/// The customer a record concerns. Personal data: it crosses to other dealerships only where the
/// customer's consent allows (C3, D3), and never across groups (C2).
public struct Customer: Sendable, Hashable, Codable {
    public var ref: String?
    public var name: String?
    public var email: String?
    public var phone: String?
    public var consent: Consent

    public init(ref: String? = nil, name: String? = nil, email: String? = nil, phone: String? = nil, consent: Consent) {
        self.ref = ref
        self.name = name
        self.email = email
        self.phone = phone
        self.consent = consent
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case ref, name, email, phone, consent }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ref = try container.decodeIfPresent(String.self, forKey: .ref)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        guard container.contains(.consent) else {
            throw CharterError.invalid(decoder.path(CodingKeys.consent), "customer.consent is required whenever customer data is sent (D3)")
        }
        consent = try container.decode(Consent.self, forKey: .consent)
        if let ref { try TextRule.check(ref, decoder.path(CodingKeys.ref), length: 1...64) }
        if let name { try TextRule.check(name, decoder.path(CodingKeys.name), length: 1...200) }
        if let email {
            let path = decoder.path(CodingKeys.email)
            try TextRule.check(email, path, length: 3...254)
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" ") else {
                throw CharterError.invalid(path, "\(path) is not an email address")
            }
        }
        if let phone {
            let path = decoder.path(CodingKeys.phone)
            try TextRule.check(phone, path, length: 3...32)
            guard phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) else {
                throw CharterError.invalid(path, "\(path) may hold only digits, spaces and + - ( ) .")
            }
        }
    }
}

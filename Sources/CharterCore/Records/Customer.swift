/// The customer a record concerns. Personal data: it crosses to other dealerships only where the
/// customer's consent allows (C3, D3), and never across groups (C2).
public struct Customer: Sendable, Hashable, Encodable {
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
}

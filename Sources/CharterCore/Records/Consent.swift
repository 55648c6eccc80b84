/// What the customer agreed to (D3). Both answers are required whenever customer data is sent,
/// so that the absence of an answer is never read as a yes.
public struct Consent: Sendable, Hashable, Encodable {
    /// The customer accepts that dealerships of the entering dealer's group see their details (C3, D3).
    public var shareWithinGroup: Bool
    /// The customer accepts marketing contact (used by later, purpose-bound OEM access).
    public var marketing: Bool

    public init(shareWithinGroup: Bool, marketing: Bool) {
        self.shareWithinGroup = shareWithinGroup
        self.marketing = marketing
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case shareWithinGroup, marketing }
}

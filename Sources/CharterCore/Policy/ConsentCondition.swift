/// A field a relation releases only when the customer agreed to it (D3), e.g. `customer` within a group.
public struct ConsentCondition: Sendable, Hashable {
    /// Which consent answer must be true.
    public enum Requirement: String, Sendable, Hashable, CaseIterable {
        case shareWithinGroup
        case marketing
    }

    public let field: RecordField
    public let requires: Requirement
    public let clause: String

    public init(field: RecordField, requires: Requirement, clause: String) {
        self.field = field
        self.requires = requires
        self.clause = clause
    }

    /// Whether `consent` grants this condition; no customer or no consent grants nothing.
    public func isGranted(by consent: Consent?) -> Bool {
        guard let consent else { return false }
        switch requires {
        case .shareWithinGroup: return consent.shareWithinGroup
        case .marketing: return consent.marketing
        }
    }
}

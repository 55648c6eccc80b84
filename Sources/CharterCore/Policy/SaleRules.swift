/// The policy's rules for a dealership being sold (C6, C8), compiled from its `sales` section.
public struct SaleRules: Sendable, Hashable {
    /// The purposes the charter locks while a sale is pending, whatever the policy file says (C8).
    public static let alwaysLocked: Set<String> = ["resale", "third_party_share", "network_transfer"]

    /// The clause of the pending-sale lock (C8).
    public let pendingClause: String
    /// The purposes refused on a dealership's data while its sale is pending; holds `alwaysLocked`.
    public let lockedPurposes: Set<String>
    /// The clause that governs a dealership sold outside the network (C6).
    public let departedClause: String
    /// The only uses such a dealership's certificate keeps: extraction of what it entered (C4, C6).
    public let departedKeeps: Set<PurposeUse>

    public init(pendingClause: String, lockedPurposes: Set<String>, departedClause: String, departedKeeps: Set<PurposeUse>) {
        self.pendingClause = pendingClause
        self.lockedPurposes = lockedPurposes.union(Self.alwaysLocked)
        self.departedClause = departedClause
        self.departedKeeps = departedKeeps
    }
}

/// A dealership as `GET /v1/dealers/{id}` shows it: its sale status, the pending buyer, the whole history
/// of transitions, and the custody of its records or of others' (C6–C8).
public struct DealerStanding: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var group: String
    /// Membership: `active` or `revoked`.
    public var membership: MemberStatus
    public var status: SaleStatus
    /// The buyer while a sale is pending.
    public var pendingSale: SaleBuyer?
    /// Every transition, oldest first.
    public var history: [SaleTransition]
    /// Where its records went after a sale outside the network (C7).
    public var custody: Custody?
    /// The sold dealerships whose records it keeps (C7).
    public var custodianOf: [Custody]

    public init(
        id: String, name: String, group: String, membership: MemberStatus, status: SaleStatus, pendingSale: SaleBuyer?,
        history: [SaleTransition], custody: Custody?, custodianOf: [Custody]
    ) {
        self.id = id
        self.name = name
        self.group = group
        self.membership = membership
        self.status = status
        self.pendingSale = pendingSale
        self.history = history
        self.custody = custody
        self.custodianOf = custodianOf
    }
}

/// One change of a dealership's sale status, kept for good in its history and shown by `GET /v1/dealers/{id}`.
public struct SaleTransition: Sendable, Hashable, Codable {
    /// `open`, `conclude` or `cancel`.
    public var action: String
    public var from: SaleStatus
    public var to: SaleStatus
    /// The dealership's ownership group after the change (the buyer's after a takeover).
    public var group: String
    /// The buyer, on the transition that opened the sale.
    public var buyer: SaleBuyer?
    /// Who asked: a member id, or `local:<user>` for the CLI.
    public var by: String
    /// RFC 3339 UTC.
    public var at: String

    public init(action: String, from: SaleStatus, to: SaleStatus, group: String, buyer: SaleBuyer?, by: String, at: String) {
        self.action = action
        self.from = from
        self.to = to
        self.group = group
        self.buyer = buyer
        self.by = by
        self.at = at
    }
}

/// Where a dealership stands in the sale of its business (C6–C8). It is separate from `MemberStatus`:
/// a dealership sold outside the network keeps an active membership so that its certificate can still
/// extract what it entered (C4, C6), and nothing else.
public enum SaleStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// No sale under way; also a dealership whose pending sale was cancelled.
    case active
    /// A sale is announced and not concluded: the brand may neither resell nor give away its data (C8).
    case salePending = "sale_pending"
    /// Taken over by a network member: the dealership now belongs to the buyer's group and works as before.
    case soldToNetwork = "sold_to_network"
    /// Sold outside the network: it keeps its extraction right only (C6); the brand may transfer its data (C7).
    case soldOutOfNetwork = "sold_out_of_network"
}

/// The three event families of the vehicle life base (C1): new-car sale, used-car sale, after-sales service.
public enum RecordKind: String, Sendable, Hashable, Codable, CaseIterable {
    case vnSale = "vn_sale"
    case voSale = "vo_sale"
    case service
}

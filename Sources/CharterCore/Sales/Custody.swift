/// The brand's transfer of a dealership's records, after it was sold outside the network, to a network
/// member that keeps the link with its customers (C7). The custodian sees them under the policy's
/// `custodian` relation.
public struct Custody: Sendable, Hashable, Codable {
    /// The dealership sold outside the network.
    public var dealer: String
    /// The network member that now keeps its records.
    public var custodian: String
    /// How many records the transfer covered.
    public var recordCount: Int
    public var transferredBy: String
    /// RFC 3339 UTC.
    public var transferredAt: String

    public init(dealer: String, custodian: String, recordCount: Int, transferredBy: String, transferredAt: String) {
        self.dealer = dealer
        self.custodian = custodian
        self.recordCount = recordCount
        self.transferredBy = transferredBy
        self.transferredAt = transferredAt
    }
}

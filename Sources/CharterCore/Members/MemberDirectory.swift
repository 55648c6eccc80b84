/// A consistent snapshot of who is in the network: groups, members and their certificates.
///
/// The server keeps one in memory and swaps it when the store's directory revision moves, so lookups
/// on the request path never touch the database.
public struct MemberDirectory: Sendable {
    public let revision: Int64
    public let groups: [String: DealerGroup]
    public let members: [String: Member]
    /// Certificates by fingerprint.
    public let certificates: [String: MemberCertificate]
    /// The custodian of each dealership sold outside the network whose records the brand transferred (C7),
    /// by the sold dealership's id.
    public let custodians: [String: String]

    public init(revision: Int64, groups: [DealerGroup], members: [Member], certificates: [MemberCertificate], custodies: [Custody] = []) {
        self.revision = revision
        self.groups = Dictionary(groups.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.members = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.certificates = Dictionary(certificates.map { ($0.fingerprint, $0) }, uniquingKeysWith: { $1 })
        self.custodians = Dictionary(custodies.map { ($0.dealer, $0.custodian) }, uniquingKeysWith: { $1 })
    }

    /// An empty network.
    public static let empty = MemberDirectory(revision: -1, groups: [], members: [], certificates: [])
}

import Foundation

/// A client certificate the hub issued to a member. Only certificates on this list authenticate,
/// so a key signed by the CA outside the hub's records is still refused.
public struct MemberCertificate: Sendable, Hashable, Codable {
    /// Certificate serial number, hex.
    public var serial: String
    public var memberID: String
    /// SHA-256 of the DER encoding, hex: what a TLS peer is matched against.
    public var fingerprint: String
    public var notAfter: Date
    public var issuedAt: Date
    public var revokedAt: Date?

    public init(serial: String, memberID: String, fingerprint: String, notAfter: Date, issuedAt: Date, revokedAt: Date? = nil) {
        self.serial = serial
        self.memberID = memberID
        self.fingerprint = fingerprint
        self.notAfter = notAfter
        self.issuedAt = issuedAt
        self.revokedAt = revokedAt
    }
}

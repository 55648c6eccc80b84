/// Whether a member may act. Revocation is immediate and final for its certificates.
public enum MemberStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case revoked
}

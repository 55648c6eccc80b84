import Foundation

/// Where groups, members and certificates live. Owned by the core so that any backend (SQLite now,
/// PostgreSQL for several replicas) plugs in without the core or the server changing.
public protocol DirectoryStore: Sendable {
    /// A number that changes whenever any group, member or certificate changes, so a running hub
    /// can notice a revocation made by another process within its polling interval.
    func directoryRevision() async throws -> Int64
    /// The whole directory, read in one transaction.
    func loadDirectory() async throws -> MemberDirectory
    /// Adds a group; fails if the id exists.
    func addGroup(_ group: DealerGroup) async throws
    /// Adds a member with its first certificate, atomically; fails if the id exists or a dealer's group does not.
    func addMember(_ member: Member, certificate: MemberCertificate) async throws
    /// Revokes the member and every certificate it holds.
    func revokeMember(_ id: String, at date: Date) async throws
}

import CharterCore
import CharterPKI
import Foundation

/// Enrols a member: issues its client certificate under the hub CA, records member and certificate in
/// one transaction, and writes the credential files. Used by the CLI, the demo network and tests alike.
public struct MemberEnrollment: Sendable {
    public let store: any DirectoryStore & AccessLogStore
    public let pki: PKIDirectory
    public let operator_: LocalOperator

    public init(store: any DirectoryStore & AccessLogStore, pki: PKIDirectory, operator: LocalOperator) {
        self.store = store
        self.pki = pki
        self.operator_ = `operator`
    }

    /// What enrolment produced.
    public struct Result: Sendable {
        public let member: Member
        public let credential: IssuedCredential
        public let certificatePath: String
        public let keyPath: String
    }

    /// Enrols `member`; a dealer must name an existing group, and no other kind may have one.
    public func enroll(_ member: Member, now: Date = Date()) async throws -> Result {
        try Member.validateID(member.id)
        switch (member.kind, member.group) {
        case (.dealer, nil):
            throw CharterError.invalid("group", "a dealer must belong to an ownership group (--group)")
        case (.dealer, .some(let group)):
            try Member.validateID(group, what: "group id")
        case (_, .some):
            throw CharterError.invalid("group", "only dealers belong to an ownership group")
        case (_, nil):
            break
        }
        let credential = try pki.loadAuthority().issueMemberCertificate(memberID: member.id, kind: member.kind.rawValue, now: now)
        let identity = try credential.identity()
        try await store.addMember(
            member,
            certificate: MemberCertificate(
                serial: identity.serial, memberID: member.id, fingerprint: identity.fingerprint,
                notAfter: identity.notAfter, issuedAt: now
            )
        )
        _ = try await store.appendLog([operator_.entry("member.add", target: .init(dealer: member.kind == .dealer ? member.id : nil))])
        let paths = try pki.writeMemberCredential(credential, memberID: member.id)
        return Result(member: member, credential: credential, certificatePath: paths.certificate, keyPath: paths.key)
    }
}

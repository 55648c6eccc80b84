import CharterCore
import Foundation
import Synchronization

/// The in-memory directory the request path authenticates against. Swapped whole when the store's
/// revision moves, so a lookup is one lock and a dictionary read.
public final class MemberRegistry: Sendable {
    private let snapshot: Mutex<MemberDirectory>

    public init(_ directory: MemberDirectory = .empty) {
        snapshot = Mutex(directory)
    }

    /// The directory in force.
    public var directory: MemberDirectory { snapshot.withLock { $0 } }

    /// Installs `directory` unless a newer one is already in place.
    public func install(_ directory: MemberDirectory) {
        snapshot.withLock { current in
            if directory.revision >= current.revision { current = directory }
        }
    }

    /// The member a verified certificate speaks for, or why it may not act.
    ///
    /// The certificate must be one the hub issued and recorded (not merely signed by the CA), name its
    /// member in the CN, be unrevoked and unexpired, and the member must be active.
    public func authenticate(_ peer: PeerIdentity?, now: Date = Date()) -> Result<Member, HubError> {
        guard let peer else {
            return .failure(.unauthenticated("this connection presented no client certificate"))
        }
        let directory = self.directory
        let presented = peer.certificate
        guard let record = directory.certificates[presented.fingerprint], record.memberID == presented.commonName else {
            return .failure(.unauthenticated("certificate \(presented.serial) for '\(presented.commonName)' was not issued by this hub's registry"))
        }
        guard let member = directory.members[record.memberID] else {
            return .failure(.unauthenticated("member '\(record.memberID)' is not registered"))
        }
        guard member.status == .active, record.revokedAt == nil else {
            return .failure(HubError(.forbidden, code: "member_revoked", message: "member '\(member.id)' has been revoked and may no longer use the hub"))
        }
        guard record.notAfter > now else {
            return .failure(.unauthenticated("certificate \(presented.serial) expired at \(Timestamp.string(record.notAfter))"))
        }
        return .success(member)
    }
}

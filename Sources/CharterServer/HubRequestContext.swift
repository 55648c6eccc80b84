import CharterCore
import Hummingbird
import NIOCore

/// The request context of the hub: who is calling, as proven by the TLS layer and never by the request.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified client certificate of this connection.
    public let peer: PeerIdentity?
    /// The authenticated member; set by `AuthenticationMiddleware` before any route runs.
    public var member: Member?
    /// The purpose the request works under (C5): the declared one or the caller's default; set by `PurposeMiddleware`.
    public var purpose: PurposeRule?
    /// The dealership the brand acts for (`Charter-On-Behalf-Of`), checked by `PurposeMiddleware`.
    public var onBehalfOf: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = PeerIdentity.current
        member = nil
        purpose = nil
        onBehalfOf = nil
    }

    /// The batch endpoint's 16 MiB is the largest body any route accepts; routes narrow it further.
    public var maxUploadSize: Int { HubLimits.batchBytes }

    /// The caller, or a 401 if authentication did not run (a programming error, answered safely).
    public func requireMember() throws(HubError) -> Member {
        guard let member else { throw HubError.unauthenticated("no authenticated member for this request") }
        return member
    }
}

import CharterPKI
import NIOCore
import NIOSSL
import NIOTLS

/// Waits for the TLS handshake, reads the verified peer certificate once, and removes itself.
final class PeerCertificateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let promise: EventLoopPromise<PeerIdentity?>
    private var completed = false

    init(promise: EventLoopPromise<PeerIdentity?>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let identity = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
                .flatMap { try? CertificateIdentity(der: $0.toDERBytes()) }
            complete(identity.map(PeerIdentity.init(certificate:)))
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(nil)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        complete(nil)
    }

    /// Completes the promise once: with the identity at the handshake, or with nil if the channel
    /// closes (or the handler goes) before one.
    private func complete(_ identity: PeerIdentity?) {
        guard !completed else { return }
        completed = true
        promise.succeed(identity)
    }
}

import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// HTTP/1.1 over mutual TLS. Like HummingbirdTLS's `TLSChannel`, plus one thing: the verified client
/// certificate is captured at the handshake and exposed to the connection's requests as `PeerIdentity.current`.
struct MutualTLSChannel: ServerChildChannel, HTTPChannelHandler {
    /// The HTTP channel together with the identity its handshake will produce.
    struct Value: ServerChildChannelValue {
        let http: HTTP1Channel.Value
        let peer: EventLoopFuture<PeerIdentity?>
        var channel: any Channel { http.channel }
    }

    let base: HTTP1Channel
    let sslContext: NIOSSLContext

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture { () -> EventLoopFuture<PeerIdentity?> in
            let promise = channel.eventLoop.makePromise(of: PeerIdentity?.self)
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            try channel.pipeline.syncOperations.addHandler(PeerCertificateHandler(promise: promise))
            return promise.futureResult
        }.flatMap { peer in
            base.setup(channel: channel, logger: logger).map { Value(http: $0, peer: peer) }
        }
    }

    func handle(value: Value, logger: Logger) async {
        let peer = try? await value.peer.get()
        await PeerIdentity.$current.withValue(peer) {
            await base.handle(value: value.http, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 over mutual TLS with the peer identity captured once per connection.
    static func mutualTLS(_ configuration: TLSConfiguration, http: HTTP1Channel.Configuration) throws -> HTTPServerBuilder {
        let context = try NIOSSLContext(configuration: configuration)
        return HTTPServerBuilder { responder in
            MutualTLSChannel(base: HTTP1Channel(responder: responder, configuration: http), sslContext: context)
        }
    }
}

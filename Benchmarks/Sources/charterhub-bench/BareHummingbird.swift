import CharterServer
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

/// A bare Hummingbird application answering the same small JSON as nginx, over the hub's own TLS
/// settings (mutual TLS, same certificate and CA) but with no authentication, policy, storage or log:
/// the framework's ceiling for one request.
enum BareHummingbird {
    static func with<T: Sendable>(server: HubServer, _ body: (Int) async throws -> T) async throws -> T {
        let router = Router()
        let json = ByteBuffer(string: NginxBaseline.body)
        router.get("/v1/ping") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: json))
        }
        var logger = Logger(label: "bare-hummingbird")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: try server.makeTLSConfiguration()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "bare"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            _ = await task.result
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }
}

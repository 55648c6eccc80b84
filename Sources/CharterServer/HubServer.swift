import CharterCore
import CharterPKI
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Assembles the hub: mutual TLS, authentication, the routes, and the services that run beside them.
public struct HubServer: Sendable {
    public let configuration: HubConfiguration
    public let store: any HubStore
    public let policy: CharterPolicy
    public let registry: MemberRegistry
    public let sequencer: AccessLogSequencer
    public let checkpoints: CheckpointPublisher
    public let extractions: ExtractionWorker
    /// Keeps the registry in step with the store; routes that change the directory call it at once.
    public let refresher: DirectoryRefresher
    /// Keeps the store's own housekeeping (SQLite's write-ahead log) off the requests' path.
    public let upkeep: StoreUpkeepService
    public let logger: Logger

    /// Where the requests' log entries go: the sequencer, except in the benchmark's log-off phase.
    private let accessLogSink: any AccessLogSink

    /// Assembles the hub; the access-log signing key is read from the certs directory.
    public init(configuration: HubConfiguration, store: any HubStore, policy: CharterPolicy, logger: Logger) throws {
        try self.init(configuration: configuration, store: store, policy: policy, logger: logger, accessLogSink: nil)
    }

    /// Like the public initializer; a non-nil `accessLogSink` takes the requests' log entries instead of the
    /// sequencer. Only the benchmark passes one, to measure the hub without its log.
    package init(configuration: HubConfiguration, store: any HubStore, policy: CharterPolicy, logger: Logger, accessLogSink: (any AccessLogSink)?) throws {
        self.configuration = configuration
        self.store = store
        self.policy = policy
        self.registry = MemberRegistry()
        self.refresher = DirectoryRefresher(store: store, registry: registry, logger: logger)
        self.logger = logger
        let sequencer = AccessLogSequencer(store: store, logger: logger)
        self.sequencer = sequencer
        self.accessLogSink = accessLogSink ?? sequencer
        let signer = try NoteSigner(name: configuration.logOrigin, rawKey: configuration.pki.loadLogKey())
        self.checkpoints = CheckpointPublisher(store: store, signer: signer, logger: logger)
        self.extractions = ExtractionWorker(store: store, signer: signer, policyHash: policy.hash, logger: logger)
        self.upkeep = StoreUpkeepService(store: store, logger: logger)
    }

    var accessLog: AccessLogger { AccessLogger(sink: accessLogSink, policyHash: policy.hash) }

    /// The TLS settings: TLS 1.2 or later, and a client certificate chaining to the hub CA is required
    /// at the handshake; a connection without one never reaches HTTP.
    public func makeTLSConfiguration() throws -> TLSConfiguration {
        let pki = configuration.pki
        let chain = try NIOSSLCertificate.fromPEMFile(pki.serverCertificatePath).map { NIOSSLCertificateSource.certificate($0) }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain,
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.serverKeyPath, format: .pem))
        )
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.caCertificatePath))
        tls.certificateVerification = .noHostnameVerification
        tls.minimumTLSVersion = .tlsv12
        return tls
    }

    /// The router with every route, and the list of routes for the OpenAPI check.
    public func makeRouter() throws -> (router: Router<HubRequestContext>, routes: [APIRoute]) {
        let router = Router(context: HubRequestContext.self)
        let catalog = RouteCatalog()
        router.add(middleware: ErrorBodyMiddleware(accessLog: accessLog, catalog: catalog, registry: registry, policy: policy))
        router.add(middleware: AuthenticationMiddleware(registry: registry))
        router.add(middleware: PurposeMiddleware(policy: policy, registry: registry))
        let table = RouteTable(router: router, catalog: catalog)
        let gate = PurposeGate(policy: policy)
        IdentityController().register(on: table)
        RecordController(
            store: store, decoder: RecordDecoder(policy: policy), filter: FieldFilter(policy: policy), gate: gate, registry: registry,
            accessLog: accessLog
        ).register(on: table)
        AuditController(store: store, checkpoints: checkpoints, accessLog: accessLog).register(on: table)
        ExtractionController(
            store: store, registry: registry, gate: gate, accessLog: accessLog, worker: extractions, verifierKey: checkpoints.verifierKey
        ).register(on: table)
        DealerController(store: store, refresher: refresher, accessLog: accessLog).register(on: table)
        TransferController(store: store, registry: registry, refresher: refresher, gate: gate, accessLog: accessLog).register(on: table)
        OpenAPIController(document: ByteBuffer(bytes: try OpenAPIController.bundledDocument())).register(on: table)
        return (router, table.routes)
    }

    /// The application service: the HTTPS server plus the directory refresher, the access-log sequencer,
    /// the checkpoint publisher, the extraction worker and the store's upkeep. The member directory is
    /// loaded before the first connection is accepted.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> some Service {
        try await refresher.refresh()
        let tls = try makeTLSConfiguration()
        return Application(
            router: try makeRouter().router,
            server: try .mutualTLS(tls, http: .init(idleTimeout: .seconds(HubLimits.idleSeconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "charterhub"),
            services: [refresher, sequencer, checkpoints, extractions, upkeep],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

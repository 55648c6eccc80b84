import ArgumentParser
import CharterCore
import CharterServer
import Logging
import ServiceLifecycle

/// `charterhub serve`: runs the hub until SIGTERM or SIGINT, then drains connections and stops.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the hub (creates a development PKI on first start).")

    @OptionGroup var hub: HubOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8443
    @Flag(help: "Seed a demo network (two groups, three dealers, the brand, an auditor) and print curl commands.") var demo = false

    func run() async throws {
        var logger = Logger(label: "charterhub")
        logger.logLevel = .info
        let policy = try hub.loadPolicy()
        let preparation = try hub.pki.prepare()
        for path in preparation.created { logger.info("created \(path)") }
        let store = try hub.openStore()
        logger.info("database: \(store.path)")
        logger.info("policy: \(hub.policies)/\(PolicyCompiler.fileName) (sha256 \(policy.hash))")
        logger.info("CA certificate: \(hub.pki.caCertificatePath); server certificate: \(hub.pki.serverCertificatePath)")
        logger.info("member certificates: \(hub.pki.membersDirectory); access-log key: \(hub.pki.logKeyPath)")
        let network = DemoNetwork(store: store, pki: hub.pki, operator_: LocalOperator(policyHash: policy.hash))
        if demo {
            if try await network.seed() {
                logger.info("demo network seeded")
            } else {
                logger.info("demo network already present")
            }
        }
        let server = try HubServer(
            configuration: HubConfiguration(host: host, port: port, pki: hub.pki), store: store, policy: policy, logger: logger
        )
        let host = self.host
        let demo = self.demo
        let log = logger
        let application = try await server.makeApplication { port in
            log.info("charterhub listening on https://\(host):\(port) (mutual TLS)")
            if demo { print(network.walkthrough(host: host, port: port)) }
        }
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

import AsyncHTTPClient
import CharterCore
import CharterPKI
import CharterServer
import CharterStorage
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// A real hub for integration tests: real certificates in a temp certs dir, a real SQLite file, the
/// repository's policy, and the server listening with mutual TLS on an ephemeral loopback port.
public final class LiveHub: Sendable {
    public let directory: TemporaryDirectory
    public let pki: PKIDirectory
    public let store: SQLiteHubStore
    public let server: HubServer
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    /// A sibling shares its files with the hub that started it, and leaves them in place when it stops.
    private let ownsFiles: Bool

    /// The base URL, on the loopback address.
    public var baseURL: String { "https://127.0.0.1:\(port)" }

    private init(
        directory: TemporaryDirectory, pki: PKIDirectory, store: SQLiteHubStore, server: HubServer, port: Int, group: ServiceGroup,
        task: Task<Void, any Error>, ownsFiles: Bool
    ) {
        self.ownsFiles = ownsFiles
        self.directory = directory
        self.pki = pki
        self.store = store
        self.server = server
        self.port = port
        self.group = group
        self.task = task
    }

    /// Starts a hub, runs `body` against it, and always shuts it down and removes its files.
    public static func with<T: Sendable>(_ body: (LiveHub) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("charterhub-live")
        let pki = PKIDirectory(root: directory.appending("certs"))
        _ = try pki.prepare()
        let store = try SQLiteHubStore(dataDirectory: directory.appending("data"))
        return try await run(try await start(directory: directory, pki: pki, store: store, accessLogSink: nil, ownsFiles: true), body)
    }

    /// A second server on this hub's database, certificates and policy, on its own port, whose requests log
    /// into `accessLogSink` rather than the access log: the benchmark measures the hub without its log
    /// beside the hub with it, on one data set loaded once.
    package func withSibling<T: Sendable>(accessLogSink: any AccessLogSink, _ body: (LiveHub) async throws -> T) async throws -> T {
        try await Self.run(try await Self.start(directory: directory, pki: pki, store: store, accessLogSink: accessLogSink, ownsFiles: false), body)
    }

    private static func run<T: Sendable>(_ hub: LiveHub, _ body: (LiveHub) async throws -> T) async throws -> T {
        do {
            let result = try await body(hub)
            await hub.stop()
            return result
        } catch {
            await hub.stop()
            throw error
        }
    }

    private static func start(
        directory: TemporaryDirectory, pki: PKIDirectory, store: SQLiteHubStore, accessLogSink: (any AccessLogSink)?, ownsFiles: Bool
    ) async throws -> LiveHub {
        var logger = Logger(label: "charterhub-test")
        logger.logLevel = .warning
        let server = try HubServer(
            configuration: HubConfiguration(host: "127.0.0.1", port: 0, pki: pki), store: store, policy: try Fixtures.policy(), logger: logger,
            accessLogSink: accessLogSink
        )
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = try await server.makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return LiveHub(directory: directory, pki: pki, store: store, server: server, port: port, group: group, task: task, ownsFiles: ownsFiles)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        if ownsFiles { directory.remove() }
    }

    /// Adds a group.
    public func addGroup(_ id: String) async throws {
        try await store.addGroup(DealerGroup(id: id, name: "Group \(id)"))
    }

    /// Enrols a member and waits until the running hub knows it.
    @discardableResult
    public func enroll(_ id: String, kind: MemberKind = .dealer, group: String? = nil) async throws -> MemberEnrollment.Result {
        try await enroll([Member(id: id, kind: kind, group: group, name: id)])[0]
    }

    /// Enrols `members` (adding the groups they name that do not exist yet), then waits once until the
    /// running hub knows them all.
    @discardableResult
    public func enroll(_ members: [Member]) async throws -> [MemberEnrollment.Result] {
        let groups = try await store.loadDirectory().groups
        for group in Set(members.compactMap(\.group)).sorted() where groups[group] == nil { try await addGroup(group) }
        let enrollment = MemberEnrollment(store: store, pki: pki, operator: LocalOperator(user: "test", policyHash: server.policy.hash))
        var results: [MemberEnrollment.Result] = []
        for member in members { results.append(try await enrollment.enroll(member)) }
        try await waitForDirectory { directory in members.allSatisfy { directory.members[$0.id] != nil } }
        return results
    }

    /// The network most tests use: `d-lille` and `d-roubaix` in `g-north`, `d-lyon` in `g-south`,
    /// the brand (`brand`) and an auditor (`auditor`).
    public func enrollNetwork() async throws {
        try await enroll("d-lille", group: "g-north")
        try await enroll("d-roubaix", group: "g-north")
        try await enroll("d-lyon", group: "g-south")
        try await enroll("brand", kind: .oem)
        try await enroll("auditor", kind: .auditor)
    }

    /// Polls the running hub's directory until `condition` holds (at most 3 s).
    public func waitForDirectory(_ condition: (MemberDirectory) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(3)
        while !condition(server.registry.directory) {
            guard ContinuousClock.now < deadline else { throw HubClient.Failure("the hub did not pick up the directory change within 3 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The access-log entries matching `query`, parsed, oldest first.
    public func logged(_ query: AccessLogQuery) async throws -> [AccessLogEntry] {
        try await store.logEntries(query).map { try AccessLogEntry.parseCanonical($0.leaf) }
    }

    /// The CLI options that point `charterhub` at this hub's files.
    public var commandLineOptions: [String] {
        ["--data-dir", directory.appending("data"), "--certs-dir", pki.root, "--policies", Fixtures.policiesDirectory]
    }

    /// A client presenting `member`'s certificate from the certs dir.
    public func client(_ member: String) throws -> HubClient {
        try HubClient(baseURL: baseURL, caPath: pki.caCertificatePath, certificatePath: pki.memberCertificatePath(member), keyPath: pki.memberKeyPath(member))
    }
}

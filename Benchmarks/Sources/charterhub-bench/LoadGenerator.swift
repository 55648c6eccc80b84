import CharterTestSupport
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A closed-loop HTTP/1.1 load over mutual TLS, in the spirit of wrk (which cannot present a client
/// certificate): `connections` keep-alive connections, each sending its next GET as soon as the previous
/// answer is complete, until `seconds` pass or it has sent `maxRequestsPerConnection`. Latencies go to an
/// HdrHistogram. Every target (nginx, bare Hummingbird, the hub) is driven by this same code.
struct LoadGenerator: Sendable {
    let connections: Int
    let seconds: Int
    let maxRequestsPerConnection = 1_000_000
    /// The client's one thread, so that the load takes at most one of the machine's cores from the server.
    static let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// The outcome of one load phase.
    struct Result: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var requests = 0
        var failures = 0
        var elapsed = 0.0
        /// CPU time of this whole process during the phase: the load generator's, plus the server's when it
        /// runs in this process (the hub, the bare route; not nginx). Steadier than req/s on a shared
        /// machine, and a difference between two in-process targets is what the second one costs more.
        var cpuSeconds = 0.0

        var requestsPerSecond: Double { Double(requests) / max(elapsed, 1e-9) }
        var cpuMicrosecondsPerRequest: Double { cpuSeconds * 1e6 / Double(max(requests, 1)) }
        /// A percentile in milliseconds (the histogram records microseconds).
        func milliseconds(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
        var maxMilliseconds: Double { Double(histogram.max) / 1000 }

        mutating func merge(_ other: Result) {
            histogram.add(other.histogram)
            requests += other.requests
            failures += other.failures
            elapsed = max(elapsed, other.elapsed)
        }
    }

    /// Drives `port` on 127.0.0.1 with `clients[i % clients.count]` as connection i's TLS identity; connection i
    /// requests `paths[(i * 7919 + n) % paths.count]` for its n-th request, so connections walk the paths out of step.
    func run(port: Int, clients: [TLSConfiguration], paths: [String]) async throws -> Result {
        let group = Self.loop
        let contexts = try clients.map { try NIOSSLContext(configuration: $0) }
        let deadline = NIODeadline.now() + .seconds(Int64(seconds))
        let start = NIODeadline.now()
        let cpuStart = Self.processCPUSeconds()
        var results: [EventLoopFuture<Result>] = []
        for connection in 0..<connections {
            let promise = group.next().makePromise(of: Result.self)
            let context = contexts[connection % contexts.count]
            let limit = maxRequestsPerConnection
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            LoadConnectionHandler(paths: paths, offset: connection * 7_919, deadline: deadline, limit: limit, promise: promise)
                        )
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            results.append(promise.futureResult)
        }
        var total = Result()
        for result in results { total.merge(try await result.get()) }
        total.elapsed = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        total.cpuSeconds = Self.processCPUSeconds() - cpuStart
        return total
    }

    /// CPU time consumed so far by every thread of this process.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// One connection of the load: request, wait for the whole answer, record, repeat.
final class LoadConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let paths: [String]
    var next: Int
    let deadline: NIODeadline
    let limit: Int
    let promise: EventLoopPromise<LoadGenerator.Result>
    var result = LoadGenerator.Result()
    var sentAt = NIODeadline.now()
    var status = 0
    var done = false

    init(paths: [String], offset: Int, deadline: NIODeadline, limit: Int, promise: EventLoopPromise<LoadGenerator.Result>) {
        self.paths = paths
        self.next = offset
        self.deadline = deadline
        self.limit = limit
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context)
    }

    func send(_ context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: paths[next % paths.count])
        head.headers.add(name: "Host", value: "127.0.0.1")
        next += 1
        sentAt = .now()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body:
            break
        case .end:
            let now = NIODeadline.now()
            _ = result.histogram.record(UInt64(max(0, (now - sentAt).nanoseconds / 1_000)))
            result.requests += 1
            if status != 200 { result.failures += 1 }
            if now < deadline && result.requests < limit {
                send(context)
            } else {
                finish(.success(result))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(HubClient.Failure("the server closed a load connection after \(result.requests) requests")))
    }

    private func finish(_ outcome: Swift.Result<LoadGenerator.Result, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(outcome)
    }
}

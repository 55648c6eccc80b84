import CharterCore
import CharterServer
import CharterStorage
import CharterTestSupport
import Foundation

/// P1 and P6: the history query on the realistic network, driven by `LoadGenerator`, beside nginx and a
/// bare Hummingbird route (same certificates, same load, same run), with the access log on and off, and at
/// growing sizes of the data set.
struct HistoryBenchmark {
    let load: LoadGenerator
    let rounds: Int
    let vehicles: Int
    /// The sizes (records) at which the history query is measured as the data set grows.
    var sizes: [Int] { [10_000, 1_000_000, 3_000_000].filter { $0 < vehicles * NetworkDataSet.recordsPerVehicle } + [vehicles * NetworkDataSet.recordsPerVehicle] }

    /// Medians over rounds of one target's phases.
    struct Summary {
        var phases: [LoadGenerator.Result] = []
        func median(_ value: (LoadGenerator.Result) -> Double) -> Double { phases.map(value).median }
        var requestsPerSecond: Double { median(\.requestsPerSecond) }
        var p50: Double { median { $0.milliseconds(50) } }
        var p90: Double { median { $0.milliseconds(90) } }
        var p99: Double { median { $0.milliseconds(99) } }
        var max: Double { median(\.maxMilliseconds) }
        var cpuPerRequest: Double { median(\.cpuMicrosecondsPerRequest) }
        var text: String {
            String(format: "%.0f req/s; p50 %.2f, p90 %.2f, p99 %.2f, max %.1f ms", requestsPerSecond, p50, p90, p99, max)
        }
        /// `text` with the CPU per request, for targets served from this process.
        var textWithCPU: String { text + String(format: "; CPU %.0f µs/req", cpuPerRequest) }
    }

    func run() async throws -> [String] {
        try await LiveHub.with { hub in
            try await NetworkDataSet.enroll(hub)
            // Connection i presents dealer i's certificate, so callers and owners mix across groups.
            let clients = try (0..<min(load.connections, NetworkDataSet.dealerCount)).map { try hub.client(NetworkDataSet.dealer($0)).tls }
            var rows: [String] = []
            var seededVehicles = 0
            var sizeSummaries: [(records: Int, summary: Summary)] = []
            for size in sizes {
                let target = (size + NetworkDataSet.recordsPerVehicle - 1) / NetworkDataSet.recordsPerVehicle
                let start = ContinuousClock.now
                try await NetworkDataSet.seed(hub.store, vehicles: seededVehicles..<target)
                let seeding = AccessLogBenchmark.seconds(ContinuousClock.now - start)
                rows.append("| seeding the network data set to \(target * NetworkDataSet.recordsPerVehicle) records (store insert, set-up) | \(Int(Double((target - seededVehicles) * NetworkDataSet.recordsPerVehicle) / seeding)) records/s | | | |")
                seededVehicles = target
                // Seeding leaves up to gigabytes of dirty pages for the kernel to write back, which would
                // stall the log's fsyncs in the first phases: flush them before measuring.
                sync()
                let paths = Self.historyPaths(vehicles: seededVehicles)
                _ = try await load.run(port: hub.port, clients: clients, paths: paths)  // warm-up
                var summary = Summary()
                for _ in 0..<rounds { summary.phases.append(try await checked(load.run(port: hub.port, clients: clients, paths: paths))) }
                sizeSummaries.append((target * NetworkDataSet.recordsPerVehicle, summary))
            }
            // Side by side on the full data set, rounds interleaved so that drift hits every target alike.
            let paths = Self.historyPaths(vehicles: seededVehicles)
            let ping = ["/v1/ping"]
            var nginx = Summary(), bare = Summary(), logged = Summary(), unlogged = Summary()
            try await hub.withSibling(accessLogSink: DroppedAccessLog()) { sibling in
                try await BareHummingbird.with(server: hub.server) { barePort in
                    try await NginxBaseline.with(pki: hub.pki, port: try NginxBaseline.freePort()) { nginxPort in
                        _ = try await load.run(port: nginxPort, clients: clients, paths: ping)
                        _ = try await load.run(port: barePort, clients: clients, paths: ping)
                        _ = try await load.run(port: sibling.port, clients: clients, paths: paths)
                        for _ in 0..<rounds {
                            nginx.phases.append(try await checked(load.run(port: nginxPort, clients: clients, paths: ping)))
                            bare.phases.append(try await checked(load.run(port: barePort, clients: clients, paths: ping)))
                            logged.phases.append(try await logChecked(hub.store, logs: true) { try await load.run(port: hub.port, clients: clients, paths: paths) })
                            unlogged.phases.append(try await logChecked(hub.store, logs: false) { try await load.run(port: sibling.port, clients: clients, paths: paths) })
                        }
                    }
                }
            }
            let setting = "\(load.connections) connections, \(load.seconds) s × \(rounds) rounds, median"
            func ratio(_ a: Summary, _ b: Summary) -> String { String(format: "%.2f×", a.requestsPerSecond / b.requestsPerSecond) }
            rows.append("| nginx 1.22, static JSON over mutual TLS (\(setting)) | \(nginx.text) | | 1.00× | the machine's limit |")
            rows.append("| bare Hummingbird route, same JSON, same TLS settings | \(bare.textWithCPU) | nginx | \(ratio(bare, nginx)) | the framework's ceiling |")
            let records = seededVehicles * NetworkDataSet.recordsPerVehicle
            rows.append("| P1 history query, access log on (\(records) records, random VIN) | \(logged.textWithCPU) | bare Hummingbird; nginx | \(ratio(logged, bare)); \(ratio(logged, nginx)) | ≥ 0.8× bare, ≥ 0.4× nginx, p99 ≤ 5 ms |")
            rows.append(
                "| history query, access log off (benchmark-only sink that drops the entries) | \(unlogged.textWithCPU) | log on | on/off \(ratio(logged, unlogged)); p50 \(String(format: "%+.2f ms", logged.p50 - unlogged.p50)); the log's CPU \(String(format: "%+.0f µs/req", logged.cpuPerRequest - unlogged.cpuPerRequest)) | — |"
            )
            let storeRead = try await Self.storeRead(hub.store, vehicles: seededVehicles, rounds: rounds)
            rows.append(
                "| the history read alone: `SQLiteHubStore.history` on one task, no HTTP, TLS or filter (\(records) records, random VIN, \(Self.storeLookups) lookups × \(rounds) rounds, median) | \(String(format: "%.1f", storeRead)) µs/lookup | | | — |"
            )
            let smallest = sizeSummaries.first?.summary.p50 ?? .nan
            for (records, summary) in sizeSummaries {
                rows.append("| P6 history query at \(records) records (log on) | \(summary.text) | p50 at \(sizeSummaries[0].records) records | \(String(format: "%.2f×", summary.p50 / smallest)) | within ±25% |")
            }
            return rows
        }
    }

    /// `checked`, and the phase logged what its target should have: one entry a request when `logs`, none
    /// otherwise. Every request sent is answered, and answered only once its entry is durable, so the count
    /// is exact. A log-on figure that skipped entries, or a log-off figure that kept some, would measure the
    /// wrong thing.
    func logChecked(_ store: SQLiteHubStore, logs: Bool, _ phase: () async throws -> LoadGenerator.Result) async throws -> LoadGenerator.Result {
        let before = try await store.logSize()
        let result = try checked(try await phase())
        let added = try await store.logSize() - before
        let expected = logs ? result.requests : 0
        guard added == expected else {
            throw HubClient.Failure("the phase's \(result.requests) requests added \(added) access-log entries, expected \(expected)")
        }
        return result
    }

    /// Every failed request fails the benchmark: a figure built on errors would be a lie.
    func checked(_ result: LoadGenerator.Result) throws -> LoadGenerator.Result {
        guard result.failures == 0 else { throw HubClient.Failure("\(result.failures) of \(result.requests) requests did not answer 200") }
        return result
    }

    static let storeLookups = 20_000

    /// The store's share of a history request, measured alone: wall-clock microseconds per lookup, one at a
    /// time, after a warm-up; the median of `rounds`.
    static func storeRead(_ store: SQLiteHubStore, vehicles: Int, rounds: Int) async throws -> Double {
        var generator = SeededGenerator(seed: 17)
        let vins = try (0..<storeLookups).map { _ in try VIN(validating: NetworkDataSet.vin(Int.random(in: 0..<vehicles, using: &generator))) }
        for vin in vins.prefix(2_000) { _ = try await store.history(vin: vin) }
        var perLookup: [Double] = []
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for vin in vins { _ = try await store.history(vin: vin) }
            perLookup.append(AccessLogBenchmark.seconds(ContinuousClock.now - start) / Double(storeLookups) * 1e6)
        }
        return perLookup.median
    }

    /// 20,000 history paths of VINs drawn at random among the first `vehicles` vehicles.
    static func historyPaths(vehicles: Int) -> [String] {
        var generator = SeededGenerator(seed: UInt64(vehicles))
        return (0..<20_000).map { _ in "/v1/vehicles/\(NetworkDataSet.vin(Int.random(in: 0..<vehicles, using: &generator)))/history" }
    }
}

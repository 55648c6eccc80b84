import AsyncHTTPClient
import CharterCore
import CharterStorage
import CharterTestSupport
import Foundation

/// What access logging adds to a history query: the same live mTLS hub, the same data and the same load,
/// with the log on and (benchmark-only `UnloggedStore`) off, phases interleaved in one run.
struct HistoryLatencyBenchmark {
    let connections: Int
    let seconds: Int
    let vins = 2_000

    /// The latencies (seconds) of every request made during one phase.
    func phase(_ hub: LiveHub) async throws -> [Double] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let vins = self.vins
        return try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<connections {
                group.addTask {
                    let client = try hub.client("d-\(worker % 3)")
                    let http = client.makeHTTPClient()
                    var generator = SeededGenerator(seed: UInt64(worker + 1))
                    var latencies: [Double] = []
                    do {
                        // Bounded in time and in count.
                        while ContinuousClock.now < deadline && latencies.count < 200_000 {
                            let vin = Self.vin(Int.random(in: 0..<vins, using: &generator))
                            let start = ContinuousClock.now
                            let reply = try await client.send(on: http, .GET, "/v1/vehicles/\(vin)/history")
                            guard reply.status == 200 else { throw HubClient.Failure("history answered \(reply.status)") }
                            latencies.append(AccessLogBenchmark.seconds(ContinuousClock.now - start))
                        }
                    } catch {
                        try? await http.shutdown()
                        throw error
                    }
                    try await http.shutdown()
                    return latencies
                }
            }
            var all: [Double] = []
            for try await latencies in group { all += latencies }
            return all
        }
    }

    static func vin(_ index: Int) -> String { "VF3BBBBBB\(String(format: "%08d", index))" }

    /// Three dealers in two groups, three records per VIN.
    func seed(_ hub: LiveHub) async throws {
        try await hub.enroll("d-0", group: "g-a")
        try await hub.enroll("d-1", group: "g-a")
        try await hub.enroll("d-2", group: "g-b")
        var records: [StoredRecord] = []
        for index in 0..<vins {
            for dealer in 0..<3 {
                let input = RecordInput(
                    sourceRef: "S-\(index)-\(dealer)", vin: try VIN(validating: Self.vin(index)), kind: .service,
                    operationType: "maintenance", performedOn: CalendarDate("2025-0\(dealer + 1)-15")!, mileageKm: 10_000 * (dealer + 1),
                    customer: Customer(ref: "C-\(index)", consent: Consent(shareWithinGroup: dealer == 0, marketing: false))
                )
                records.append(StoredRecord.make(enteredBy: "d-\(dealer)", input: input))
            }
        }
        _ = try await hub.store.insert(records, log: { _ in [] })
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    func run() async throws -> [String] {
        try await LiveHub.with { logged in
            try await LiveHub.with(serving: { UnloggedStore(base: $0) }) { unlogged in
                try await seed(logged)
                try await seed(unlogged)
                _ = try await phase(logged)  // warm-up, discarded
                var on: [Double] = [], off: [Double] = []
                for _ in 0..<2 {
                    on += try await phase(logged)
                    off += try await phase(unlogged)
                }
                on.sort()
                off.sort()
                let total = Double(seconds * 2)
                func ms(_ value: Double) -> String { String(format: "%.2f ms", value * 1000) }
                func delta(_ value: Double) -> String { String(format: "%+.2f ms", value * 1000) }
                return [
                    "| history query, access log on (\(connections) connections, \(vins * 3) records) | p50 \(ms(Self.percentile(on, 0.5))), p99 \(ms(Self.percentile(on, 0.99))), \(Int(Double(on.count) / total)) req/s | log off: p50 \(ms(Self.percentile(off, 0.5))), p99 \(ms(Self.percentile(off, 0.99))), \(Int(Double(off.count) / total)) req/s | p50 \(delta(Self.percentile(on, 0.5) - Self.percentile(off, 0.5))), p99 \(delta(Self.percentile(on, 0.99) - Self.percentile(off, 0.99))); throughput \(String(format: "%.2f×", Double(on.count) / Double(max(off.count, 1)))) | — |"
                ]
            }
        }
    }
}

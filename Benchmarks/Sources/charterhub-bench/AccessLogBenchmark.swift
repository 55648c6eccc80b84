import CharterCore
import CharterServer
import CharterStorage
import CharterTestSupport
import Foundation
import Histogram
import Logging

/// The access log's figures, each beside its baseline from the same run.
struct AccessLogBenchmark {
    var report: [String] = []

    static func entry(_ index: Int) -> AccessLogEntry {
        AccessLogEntry(
            actor: "d-\(index % 300)", actorKind: "dealer", action: "vehicle.history", decision: .allow, clause: "C2",
            target: .init(vin: "VF3AAAAAA\(String(format: "%08d", index % 1_000_000))", recordIds: ["rec_\(index)"]),
            fields: ["cross_group": ["id", "visibility", "vin", "mileageKm", "operationType"]],
            policyHash: String(repeating: "a", count: 64), requestId: "bench-\(index)"
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Durable appends: one transaction per entry (baseline) against group commit through the sequencer,
    /// the two alternated for `rounds` rounds on one growing log, medians reported.
    mutating func appendThroughput(rounds: Int) async throws {
        let directory = try TemporaryDirectory("charterhub-bench")
        defer { directory.remove() }
        let store = try SQLiteHubStore(dataDirectory: directory.path)
        let sequencer = AccessLogSequencer(store: store, logger: Logger(label: "bench"))
        let runner = Task { try await sequencer.run() }
        defer { runner.cancel() }
        let single = 2_000, writers = 256, perWriter = 160
        let clock = ContinuousClock()
        var aloneRates: [Double] = [], groupedRates: [Double] = []
        var next = 0
        for _ in 0..<rounds {
            let first = next
            let alone = try await clock.measure {
                for index in first..<(first + single) { _ = try await store.appendLog([Self.entry(index)]) }
            }
            next += single
            let base = next
            let grouped = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            for index in 0..<perWriter { _ = try await sequencer.append(Self.entry(base + writer * perWriter + index)) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            next += writers * perWriter
            aloneRates.append(Double(single) / Self.seconds(alone))
            groupedRates.append(Double(writers * perWriter) / Self.seconds(grouped))
        }
        let aloneRate = aloneRates.median, groupedRate = groupedRates.median
        report.append("| access-log append, durable, group commit (\(writers) concurrent writers, \(writers * perWriter) entries × \(rounds) rounds, median) | \(Int(groupedRate)) entries/s | one transaction per entry: \(Int(aloneRate)) entries/s | \(String(format: "%.1f×", groupedRate / aloneRate)) | ≥ 20,000 entries/s |")
    }

    /// How long one durable commit of `batch` entries holds the log's writer, over enough commits to
    /// complete `runs` runs of the log's term index: the slowest commits hold every request waiting on the
    /// writer too (history's p99). Measured with the store's upkeep running beside the writer, as `serve`
    /// runs it, against the writer alone (SQLite's own checkpoint inside the commits), each on a new store,
    /// alternated twice; each figure pools its two passes.
    mutating func commitTimes(batch: Int, runs: Int) async throws {
        var alone = LoadGenerator.Result(), withUpkeep = LoadGenerator.Result()
        for _ in 0..<2 {
            alone.histogram.add(try await Self.commitTimes(batch: batch, runs: runs, upkeep: false))
            withUpkeep.histogram.add(try await Self.commitTimes(batch: batch, runs: runs, upkeep: true))
        }
        func format(_ times: LoadGenerator.Result) -> String {
            String(format: "p50 %.2f, p99 %.2f, p99.9 %.2f, max %.2f ms", times.milliseconds(50), times.milliseconds(99), times.milliseconds(99.9), times.maxMilliseconds)
        }
        func ratio(_ percentile: Double) -> String { String(format: "%.2f×", withUpkeep.milliseconds(percentile) / alone.milliseconds(percentile)) }
        report.append(
            "| access-log commit of \(batch) entries, durable, the store's upkeep beside the writer (\(withUpkeep.histogram.totalCount) commits over 2 passes, \(runs) runs of the term index each) | \(format(withUpkeep)) | the writer alone, SQLite's checkpoint in its commits: \(format(alone)) | p50 \(ratio(50)), p99 \(ratio(99)); p99.9 / p50 \(String(format: "%.1f×", withUpkeep.milliseconds(99.9) / withUpkeep.milliseconds(50))) | — |"
        )
    }

    /// One pass of `commitTimes(batch:runs:)` on a new store: each commit's time in the same HdrHistogram
    /// (microseconds) the load phases use.
    private static func commitTimes(batch: Int, runs: Int, upkeep: Bool) async throws -> Histogram<UInt64> {
        let directory = try TemporaryDirectory("charterhub-bench")
        defer { directory.remove() }
        let store = try SQLiteHubStore(dataDirectory: directory.path)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            if upkeep { tasks.addTask { try await StoreUpkeepService(store: store, logger: Logger(label: "bench")).run() } }
            defer { tasks.cancelAll() }
            let clock = ContinuousClock()
            var times = LoadGenerator.Result().histogram
            for start in stride(from: 0, to: runs * LogTermIndex.runSize, by: batch) {
                let entries = (start..<(start + batch)).map(Self.entry)
                times.record(UInt64(Self.seconds(try await clock.measure { _ = try await store.appendLog(entries) }) * 1_000_000))
            }
            return times
        }
    }

    /// Inclusion proofs and offline verification on a log of `size` entries; verification is timed `rounds`
    /// times, alternating with its baseline, and the medians are reported.
    mutating func largeLog(size: Int, rounds: Int) async throws {
        let directory = try TemporaryDirectory("charterhub-bench")
        defer { directory.remove() }
        let store = try SQLiteHubStore(dataDirectory: directory.path)
        let clock = ContinuousClock()
        let batch = 10_000
        let build = try await clock.measure {
            for start in stride(from: 0, to: size, by: batch) {
                _ = try await store.appendLog((start..<min(size, start + batch)).map(Self.entry))
            }
        }
        report.append("| building a log of \(size) entries in batches of \(batch) | \(Int(Double(size) / Self.seconds(build))) entries/s | | | |")
        // Opening loads the tree's upper levels into memory (`MerkleNodeCache`), point lookups by key.
        let empty = try TemporaryDirectory("charterhub-bench")
        defer { empty.remove() }
        let opening = try clock.measure { _ = try SQLiteHubStore(dataDirectory: directory.path) }
        let openingEmpty = try clock.measure { _ = try SQLiteHubStore(dataDirectory: empty.path) }
        report.append(
            "| opening the store on a log of \(size) entries (loads the tree's cached upper levels) | \(String(format: "%.0f", Self.seconds(opening) * 1e3)) ms | opening a new, empty store: \(String(format: "%.0f", Self.seconds(openingEmpty) * 1e3)) ms | | — |"
        )

        var generator = SeededGenerator(seed: 9)
        // Both sides are warmed first (the reader connections' statements and page caches), then timed
        // over enough proofs (about a second) that a noisy neighbour moves the figure less.
        let warmUp = 1_000, proofs = 10_000
        for _ in 0..<warmUp {
            _ = try await store.inclusionProof(index: Int.random(in: 0..<size, using: &generator), size: size)
            _ = try await store.logSize()
        }
        let indexes = (0..<proofs).map { _ in Int.random(in: 0..<size, using: &generator) }
        let proofTime = try await clock.measure {
            for index in indexes { _ = try await store.inclusionProof(index: index, size: size) }
        }
        let sizeTime = try await clock.measure {
            for _ in 0..<proofs { _ = try await store.logSize() }
        }
        let perProof = Self.seconds(proofTime) / Double(proofs) * 1e6
        let perRead = Self.seconds(sizeTime) / Double(proofs) * 1e6
        report.append("| inclusion proof at \(size) entries (store read included; \(proofs) random leaves after \(warmUp) to warm up) | \(String(format: "%.1f", perProof)) µs | one trivial store read (`logSize`): \(String(format: "%.1f", perRead)) µs | \(String(format: "%.1f×", perProof / perRead)) | ≤ 100 µs |")

        let signer = try NoteSigner.generate(name: "bench/log")
        try await store.saveCheckpoint(size: size, note: try signer.sign(Checkpoint(origin: signer.name, size: size, root: try await store.logRoot(size: size)).text))
        var verifySeconds: [Double] = [], rawSeconds: [Double] = []
        for _ in 0..<rounds {
            verifySeconds.append(Self.seconds(try await clock.measure {
                _ = try await AccessLogVerifier.verify(store, verifier: signer.verifier)
            }))
            rawSeconds.append(Self.seconds(try await clock.measure {
                var after = -1
                var accumulator = MerkleAccumulator()
                while true {
                    let leaves = try await store.logLeaves(after: after, limit: 10_000)
                    guard let last = leaves.last else { break }
                    for leaf in leaves { accumulator.append(.leaf(leaf.leaf)) }
                    after = last.index
                }
            }))
        }
        let verify = verifySeconds.median, rawHash = rawSeconds.median
        report.append("| offline verification of \(size) entries (`audit verify`, \(rounds) rounds alternating with the baseline, median) | \(String(format: "%.2f", verify)) s | reading and hashing the same leaves only: \(String(format: "%.2f", rawHash)) s | \(String(format: "%.2f×", verify / rawHash)) | ≤ 5 s |")
    }
}

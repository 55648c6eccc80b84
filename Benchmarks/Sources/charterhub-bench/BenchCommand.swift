import ArgumentParser
import Foundation

/// `charterhub-bench`: the end-to-end figures of `BENCHMARKS.md`, each beside its baseline from the same run.
/// Loopback only; every load is bounded in time and in count.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charterhub-bench",
        abstract: "Measures charterhub end to end beside same-run baselines and prints the BENCHMARKS.md table."
    )

    /// The parts of the run, so that one can be measured alone while working on it.
    enum Part: String, ExpressibleByArgument, CaseIterable {
        case history, ingest, accessLog = "access-log", extraction
    }

    @Option(help: "Vehicles in the network data set (3 records each) for the history phases.")
    var vehicles = 1_000_000
    @Option(help: "Keep-alive mutual-TLS connections the load generator holds.")
    var connections = 32
    @Option(help: "Duration of each load phase, in seconds.")
    var seconds = 5
    @Option(help: "Rounds of each load phase; the median is reported.")
    var rounds = 3
    @Option(help: "Records sent in each ingest round.")
    var ingestRecords = 100_000
    @Option(help: "Entries in the access log the proof and verification figures are taken on.")
    var logSize = 1_000_000
    @Option(help: "Records of the dealer whose extraction is measured.")
    var extractionRecords = 1_000_000
    @Option(help: "Run one part only.")
    var only: Part?

    func validate() throws {
        for (name, value) in [("--vehicles", vehicles), ("--connections", connections), ("--seconds", seconds), ("--rounds", rounds),
                              ("--ingest-records", ingestRecords), ("--log-size", logSize), ("--extraction-records", extractionRecords)]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
    }

    func run() async throws {
        func runs(_ part: Part) -> Bool { only == nil || only == part }
        var rows: [String] = []
        if runs(.history) {
            let load = LoadGenerator(connections: connections, seconds: seconds)
            rows += try await HistoryBenchmark(load: load, rounds: rounds, vehicles: vehicles).run()
        }
        if runs(.ingest) {
            rows += try await IngestBenchmark(records: ingestRecords, rounds: rounds).run()
        }
        if runs(.accessLog) {
            var accessLog = AccessLogBenchmark()
            try await accessLog.appendThroughput(rounds: rounds)
            try await accessLog.commitTimes(batch: 16, runs: 12)
            try await accessLog.largeLog(size: logSize, rounds: rounds)
            rows += accessLog.report
        }
        if runs(.extraction) {
            rows += try await ExtractionBenchmark(records: extractionRecords, rounds: rounds).run()
        }
        print("| figure | measured | baseline (same run) | ratio | goal |")
        print("|---|---|---|---|---|")
        for row in rows { print(row) }
    }
}

import Foundation

/// `charterhub-bench`: the end-to-end figures of `BENCHMARKS.md`, each beside its baseline from the same run.
/// Loopback only; every load is bounded in time and in count.
@main
struct BenchCommand {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func value(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let logSize = value("--log-size", 1_000_000)
        let connections = value("--connections", 32)
        let seconds = value("--seconds", 5)
        let rounds = value("--rounds", 3)
        let vehicles = value("--vehicles", 1_000_000)
        let ingestRecords = value("--ingest-records", 100_000)
        let extractionRecords = value("--extraction-records", 1_000_000)
        // `--only history|ingest|access-log|extraction` runs one part.
        let only = arguments.firstIndex(of: "--only").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        func runs(_ part: String) -> Bool { only == nil || only == part }

        var rows: [String] = []
        if runs("history") {
            let load = LoadGenerator(connections: connections, seconds: seconds)
            rows += try await HistoryBenchmark(load: load, rounds: rounds, vehicles: vehicles).run()
        }
        if runs("ingest") {
            rows += try await IngestBenchmark(records: ingestRecords, rounds: rounds).run()
        }
        if runs("access-log") {
            var accessLog = AccessLogBenchmark()
            try await accessLog.appendThroughput()
            try await accessLog.largeLog(size: logSize)
            rows += accessLog.report
        }
        if runs("extraction") {
            rows += try await ExtractionBenchmark(records: extractionRecords).run()
        }
        print("| figure | measured | baseline (same run) | ratio | goal |")
        print("|---|---|---|---|---|")
        for row in rows { print(row) }
    }
}

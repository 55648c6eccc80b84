import Foundation

/// `charterhub-bench`: measures the access log's and the extraction's figures beside their baselines and prints the rows of
/// `BENCHMARKS.md`. Loopback only; every loop is bounded in count and time.
@main
struct BenchCommand {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func value(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let logSize = value("--log-size", 1_000_000)
        let scale = value("--scale", 1)
        let connections = value("--connections", 16)
        let seconds = value("--seconds", 5)

        let extractionRecords = value("--extraction-records", 1_000_000)
        // `--only extraction` or `--only access-log` runs one part.
        let only = arguments.firstIndex(of: "--only").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }

        var rows: [String] = []
        if only == nil || only == "access-log" {
            var accessLog = AccessLogBenchmark(scale: scale)
            try await accessLog.appendThroughput()
            try await accessLog.largeLog(size: logSize)
            let history = try await HistoryLatencyBenchmark(connections: connections, seconds: seconds).run()
            rows += accessLog.report + history
        }
        if only == nil || only == "extraction" {
            rows += try await ExtractionBenchmark(records: extractionRecords).run()
        }
        print("| figure | measured | baseline (same run) | ratio | goal |")
        print("|---|---|---|---|---|")
        for row in rows { print(row) }
    }
}

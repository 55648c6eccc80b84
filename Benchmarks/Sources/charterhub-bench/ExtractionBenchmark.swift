import CharterCore
import CharterStorage
import CharterTestSupport
import Foundation

/// Extraction at scale (C4): one dealer with `records` records on a live mTLS hub. The job's pass, a
/// full download with curl (another process, so the hub's memory is measured alone in this one), and,
/// in the same run, `sqlite3 -json` dumping the same rows from the same file as the baseline. Each format
/// runs `rounds` times (a new job each time), the three steps alternating; medians are reported, and the
/// highest RSS growth.
struct ExtractionBenchmark {
    let records: Int
    let rounds: Int
    static let dealer = "d-bench"

    func run() async throws -> [String] {
        try await LiveHub.with { hub in
            try await hub.enroll(Self.dealer, group: "g-bench")
            let seedStart = ContinuousClock.now
            try await seed(hub.store)
            let seedSeconds = AccessLogBenchmark.seconds(ContinuousClock.now - seedStart)
            var rows = ["| seeding \(records) records of one dealer (store insert, batches of 10,000) | \(Int(Double(records) / seedSeconds)) records/s | | | |"]
            for format in [ExtractionFormat.ndjson, .csv] {
                rows += try await measure(hub, format: format)
            }
            return rows
        }
    }

    /// Realistic records: customer with consent, amount, two service lines, notes.
    func seed(_ store: SQLiteHubStore) async throws {
        try await store.seed(0..<records) { index in
            let input = RecordInput(
                sourceRef: "WO-\(index)", vin: try VIN(validating: "VF3CCCCCC\(String(format: "%08d", index % 100_000))"), kind: .service,
                operationType: "maintenance", performedOn: CalendarDate("2025-06-15")!, mileageKm: index % 300_000,
                customer: Customer(ref: "C-\(index)", name: "Client \(index)", email: "c\(index)@example.org", phone: "+33 1 23 45 67 89",
                                   consent: Consent(shareWithinGroup: index % 2 == 0, marketing: index % 3 == 0)),
                amount: Amount(cents: 12_900 + index % 1000, currency: "EUR"),
                lines: [ServiceLine(code: "OIL", label: "Engine oil, 5W30", quantity: 4.5, amountCents: 5200),
                        ServiceLine(code: "FLT", label: "Oil filter", quantity: 1, amountCents: 1400)],
                notes: "Routine service, customer waited."
            )
            return [StoredRecord.make(enteredBy: Self.dealer, input: input)]
        }
    }

    func measure(_ hub: LiveHub, format: ExtractionFormat) async throws -> [String] {
        var jobs: [Double] = [], downloads: [Double] = [], dumps: [Double] = [], growth = 0, before = 0, bytes = 0, dumped = 0
        for _ in 0..<rounds {
            let round = try await measureOnce(hub, format: format)
            jobs.append(round.jobSeconds)
            downloads.append(round.downloadSeconds)
            dumps.append(round.dumpSeconds)
            growth = max(growth, round.growth)
            (before, bytes, dumped) = (round.before, round.bytes, round.dumped)
        }
        let jobSeconds = jobs.median, downloadSeconds = downloads.median, dumpSeconds = dumps.median
        let rate = Double(records) / downloadSeconds, baseline = Double(records) / dumpSeconds
        let label = format == .ndjson ? "NDJSON" : "CSV"
        let times = "\(rounds) rounds, median"
        return [
            "| extraction job, \(label): snapshot, render, count and hash \(records) records (\(times)) | \(Int(Double(records) / jobSeconds)) records/s (\(Self.format(jobSeconds)) s, request to ready) | | | |",
            "| extraction download, \(label), \(records) records, \(bytes / 1_000_000) MB over mTLS (curl; \(times)) | \(Int(rate)) records/s (\(Self.format(downloadSeconds)) s) | `sqlite3 -json` dumping the same rows (\(dumped / 1_000_000) MB): \(Int(baseline)) records/s | \(Self.format(rate / baseline))× | ≥ 200,000 records/s and ≥ 0.5× |",
            "| hub RSS growth during the \(label) downloads (highest) | \(growth / 1_048_576) MB | RSS before: \(before / 1_048_576) MB | | ≤ 64 MB |",
        ]
    }

    /// One round: a new job, its download, and the baseline's dump.
    struct Round {
        var jobSeconds, downloadSeconds, dumpSeconds: Double
        var growth, before, bytes, dumped: Int
    }

    func measureOnce(_ hub: LiveHub, format: ExtractionFormat) async throws -> Round {
        let client = try hub.client(Self.dealer)
        let jobStart = ContinuousClock.now
        let status = try await client.extract(["format": format.rawValue], timeout: .seconds(600))
        let jobSeconds = AccessLogBenchmark.seconds(ContinuousClock.now - jobStart)
        guard let manifest = status["manifest"] as? [String: Any], let bytes = manifest["bytes"] as? Int,
            manifest["versionCount"] as? Int == records, let path = status["content"] as? String
        else { throw HubClient.Failure("unexpected extraction status: \(status)") }

        // Download with curl to a file, sampling this process's RSS (the hub) throughout.
        let file = hub.directory.appending("content.\(format.rawValue)")
        let before = Self.residentBytes()
        let peak = RSSSampler()
        let sampling = Task { await peak.sample() }
        let downloadStart = ContinuousClock.now
        let curl = try Curl.run([
            "--cacert", hub.pki.caCertificatePath, "--cert", hub.pki.memberCertificatePath(Self.dealer),
            "--key", hub.pki.memberKeyPath(Self.dealer), "-o", file, hub.baseURL + path,
        ], maxSeconds: 600)
        let downloadSeconds = AccessLogBenchmark.seconds(ContinuousClock.now - downloadStart)
        sampling.cancel()
        let growth = max(0, await peak.peak - before)
        guard curl.status == 200, (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) == bytes else {
            throw HubClient.Failure("the download failed or is incomplete: curl \(curl.exitCode), HTTP \(curl.status)")
        }
        try? FileManager.default.removeItem(atPath: file)

        // Baseline: sqlite3 -json dumping the same rows from the same database file.
        let dumpStart = ContinuousClock.now
        let dumped = try Self.sqliteJSON(hub.store.path, into: hub.directory.appending("dump.json"))
        let dumpSeconds = AccessLogBenchmark.seconds(ContinuousClock.now - dumpStart)

        return Round(
            jobSeconds: jobSeconds, downloadSeconds: downloadSeconds, dumpSeconds: dumpSeconds, growth: growth, before: before, bytes: bytes,
            dumped: dumped
        )
    }

    /// Runs `sqlite3 -json` on the same rows to a file; returns its size.
    static func sqliteJSON(_ database: String, into output: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "sqlite3", "-json", database,
            "SELECT record_id, version, recorded_at, entered_by, body FROM record_versions WHERE entered_by = '\(dealer)' ORDER BY seq",
        ]
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        guard process.terminationStatus == 0 else { throw HubClient.Failure("sqlite3 -json failed") }
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        try? FileManager.default.removeItem(atPath: output)
        return size
    }

    /// This process's resident set size, from /proc.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// The highest RSS seen, sampled every 20 ms until cancelled.
actor RSSSampler {
    private(set) var peak = 0

    func sample() async {
        while !Task.isCancelled {
            peak = max(peak, ExtractionBenchmark.residentBytes())
            try? await Task.sleep(for: .milliseconds(20))
        }
        peak = max(peak, ExtractionBenchmark.residentBytes())
    }
}

import CharterCore
import CharterStorage
import CharterTestSupport
import Foundation
import GRDB

/// P2: batch ingest over mutual TLS (`POST /v1/records/batch`, NDJSON, 10,000 lines a request, two dealers
/// sending at once, every commit durable) against a raw GRDB insert of the same rows into one table with
/// `records`' columns, keys and indexes and the body in the same row, with the same durability (WAL,
/// `synchronous = FULL`), the same writer page cache and the same 10,000 rows a transaction. The raw side
/// does no parsing, validation, versioning or logging: it is the storage floor, each record stored once.
struct IngestBenchmark {
    let records: Int
    let rounds: Int
    static let batchLines = 10_000
    static let dealers = ["d-0", "d-1"]

    func run() async throws -> [String] {
        try await LiveHub.with { hub in
            try await hub.enroll(Self.dealers.enumerated().map { Member(id: $1, kind: .dealer, group: "g-\($0)", name: $1) })
            let raw = try RawTable(path: hub.directory.appending("raw.sqlite"))
            var hubRates: [Double] = [], rawRates: [Double] = [], hubCPU: [Double] = [], rawCPU: [Double] = []
            let vehiclesPerRound = records / NetworkDataSet.recordsPerVehicle
            for round in 0..<rounds {
                let vehicles = (round * vehiclesPerRound)..<((round + 1) * vehiclesPerRound)
                let inputs = vehicles.flatMap { NetworkDataSet.records(ofVehicle: $0).map(\.input) }
                let bodies = inputs.map(StoredRecord.canonicalJSON)
                // The hub: batches alternate between the two dealers, one client each, both sending at once.
                // Each batch with its line count, known before the clock starts, as a DMS knows what it sent.
                let batches = stride(from: 0, to: bodies.count, by: Self.batchLines).map { start in
                    let lines = bodies[start..<min(bodies.count, start + Self.batchLines)]
                    return (body: lines.reduce(into: Data()) { $0 += $1; $0.append(0x0A) }, lines: lines.count)
                }
                let start = ContinuousClock.now, cpuStart = LoadGenerator.processCPUSeconds()
                let replies = try await withThrowingTaskGroup(of: [(reply: HubClient.Reply, lines: Int)].self) { group in
                    for (index, dealer) in Self.dealers.enumerated() {
                        let client = try hub.client(dealer)
                        let mine = batches.enumerated().filter { $0.offset % Self.dealers.count == index }.map(\.element)
                        group.addTask {
                            var replies: [(reply: HubClient.Reply, lines: Int)] = []
                            for batch in mine {
                                let reply = try await client.send(.POST, "/v1/records/batch", body: batch.body, contentType: "application/x-ndjson")
                                guard reply.status == 200 else { throw HubClient.Failure("batch answered \(reply.status): \(reply.text.prefix(300))") }
                                replies.append((reply, batch.lines))
                            }
                            return replies
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                hubRates.append(Double(bodies.count) / AccessLogBenchmark.seconds(ContinuousClock.now - start))
                hubCPU.append((LoadGenerator.processCPUSeconds() - cpuStart) * 1e6 / Double(bodies.count))
                // Every reply is read whole, once the clock has stopped: parsing 10,000 results is the client's
                // work, and on this 2-core machine it would take CPU from the hub inside the timed phase.
                for (reply, lines) in replies {
                    let accepted = try reply.json()["accepted"] as? Int
                    guard accepted == lines else {
                        throw HubClient.Failure("a batch of \(lines) lines had \(accepted ?? -1) accepted: \(reply.text.prefix(300))")
                    }
                }
                // The same rows, inserted raw.
                let rows = zip(inputs, bodies).enumerated().map { index, pair in
                    let record = StoredRecord.make(enteredBy: Self.dealers[(index / Self.batchLines) % Self.dealers.count], input: pair.0)
                    return RawTable.Row(record: record, body: String(decoding: pair.1, as: UTF8.self), hash: StoredRecord.contentHash(pair.1))
                }
                let rawStart = ContinuousClock.now, rawCPUStart = LoadGenerator.processCPUSeconds()
                for start in stride(from: 0, to: rows.count, by: Self.batchLines) {
                    try await raw.insert(rows[start..<min(rows.count, start + Self.batchLines)])
                }
                rawRates.append(Double(rows.count) / AccessLogBenchmark.seconds(ContinuousClock.now - rawStart))
                rawCPU.append((LoadGenerator.processCPUSeconds() - rawCPUStart) * 1e6 / Double(rows.count))
            }
            let hubRate = hubRates.median, rawRate = rawRates.median
            // Each round also by itself: the table grows round after round, and so does what a commit writes.
            func eachRound(_ rates: [Double]) -> String { rates.map { String(Int($0)) }.joined(separator: ", ") }
            return [
                "| P2 batch ingest over mTLS, durable (\(records) records × \(rounds) rounds, 10,000 lines a request, 2 dealers at once, median) | \(Int(hubRate)) records/s (rounds: \(eachRound(hubRates))); CPU \(Int(hubCPU.median.rounded())) µs/record | raw GRDB insert of the same rows, same indexes and durability: \(Int(rawRate)) records/s (rounds: \(eachRound(rawRates))); CPU \(Int(rawCPU.median.rounded())) µs/record | \(String(format: "%.2f×", hubRate / rawRate)) | ≥ 50,000 records/s and ≥ 0.5× |"
            ]
        }
    }

    /// One row a record: the hub's `records` columns, keys and indexes, with the body that the hub keeps in
    /// the record's version (schema v6), and nothing else.
    struct RawTable {
        struct Row: Sendable {
            let values: StatementArguments

            init(record: StoredRecord, body: String, hash: String) {
                values = [
                    record.id, record.enteredBy, record.input.sourceRef, record.input.vin.value, record.input.performedOn.description,
                    Timestamp.string(record.recordedAt), hash, body,
                ]
            }
        }

        let pool: DatabasePool

        init(path: String) throws {
            pool = try SQLiteHubStore.openPool(path: path)
            try pool.write { db in
                try db.execute(sql: """
                    CREATE TABLE records (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, entered_by TEXT NOT NULL, source_ref TEXT NOT NULL,
                        vin TEXT NOT NULL, performed_on TEXT NOT NULL, recorded_at TEXT NOT NULL, content_hash TEXT NOT NULL,
                        body TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, UNIQUE (entered_by, source_ref)
                    );
                    CREATE INDEX records_by_vin ON records (vin, performed_on, seq);
                    """)
            }
        }

        func insert(_ rows: ArraySlice<Row>) async throws {
            try await pool.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO records (id, entered_by, source_ref, vin, performed_on, recorded_at, content_hash, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for row in rows {
                    try statement.execute(arguments: row.values)
                }
            }
        }
    }
}

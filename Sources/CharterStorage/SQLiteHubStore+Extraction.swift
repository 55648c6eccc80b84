import CharterCore
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteHubStore {
    public func createExtraction(_ job: Extraction, log: [AccessLogEntry], unfinishedAtMost limit: Int) async throws -> Bool {
        try await pool.write { db in
            let unfinished = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM extractions WHERE requested_by = ? AND status IN ('pending', 'running')", arguments: [job.requestedBy]
            ) ?? 0
            guard unfinished < limit else { return false }
            try db.execute(
                sql: """
                    INSERT INTO extractions (id, dealer, requested_by, format, purpose, requested_at, request_id, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.id, job.dealer, job.requestedBy, job.format.rawValue, job.purpose, Timestamp.string(job.requestedAt),
                    job.requestID, job.status.rawValue,
                ]
            )
            try self.appendLog(log, in: db)
            return true
        }
    }

    public func extraction(id: String) async throws -> Extraction? {
        try await pool.read { db in try Self.extraction(id: id, in: db) }
    }

    public func unfinishedExtractions() async throws -> [Extraction] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM extractions WHERE status IN ('pending', 'running') ORDER BY requested_at, id")
                .map(Self.extraction)
        }
    }

    public func beginExtraction(id: String, at date: Date) async throws -> ExtractionSnapshot {
        try await pool.write { db in
            guard let job = try Self.extraction(id: id, in: db) else {
                throw StorageError(.notFound, "extraction '\(id)' does not exist")
            }
            if let snapshot = job.snapshot { return snapshot }
            // The write transaction sees every committed version and no other writer can commit meanwhile,
            // so the bound and the log size describe one instant.
            let snapshot = ExtractionSnapshot(
                dealer: job.dealer,
                throughSequence: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM record_versions") ?? 0,
                logTreeSize: try AccessLogTable.size(db),
                // At the stored millisecond precision, so a restarted job sees the very same snapshot.
                takenAt: Timestamp.parse(Timestamp.string(date)) ?? date
            )
            try db.execute(
                sql: "UPDATE extractions SET status = 'running', snapshot_seq = ?, snapshot_at = ?, log_tree_size = ? WHERE id = ?",
                arguments: [snapshot.throughSequence, Timestamp.string(date), snapshot.logTreeSize, id]
            )
            return snapshot
        }
    }

    public func extractionVersions(_ snapshot: ExtractionSnapshot, after cursor: Int64, limit: Int) async throws -> StoredVersionPage {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT seq, record_id, version, recorded_at, body FROM record_versions
                WHERE entered_by = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?
                """)
            let rows = try Row.fetchCursor(statement, arguments: [snapshot.dealer, cursor, snapshot.throughSequence, limit])
            var page = StoredVersionPage(enteredBy: snapshot.dealer, capacity: limit)
            // Straight from SQLite's column buffers, valid until the next step: GRDB's accessors made two
            // `String`s and a `Data` a version, a quarter of the read.
            let sqlite = statement.sqliteStatement
            while try rows.next() != nil {
                page.append(
                    id: Self.text(sqlite, 1), version: Int(sqlite3_column_int64(sqlite, 2)), recordedAt: Self.text(sqlite, 3), body: Self.text(sqlite, 4),
                    sequence: sqlite3_column_int64(sqlite, 0)
                )
            }
            return page
        }
    }

    public func completeExtraction(id: String, manifest: ExtractionManifest, marks: [ExtractionMark], log: [AccessLogEntry]) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let manifestJSON = String(decoding: try encoder.encode(manifest), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: "UPDATE extractions SET status = 'ready', manifest = ? WHERE id = ?", arguments: [manifestJSON, id])
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO extraction_marks (extraction_id, byte_offset, after_seq) VALUES (?, ?, ?)")
            for mark in marks {
                try insert.execute(arguments: [id, mark.offset, mark.afterSequence])
            }
            try self.appendLog(log, in: db)
        }
    }

    public func failExtraction(id: String, reason: String, log: [AccessLogEntry]) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE extractions SET status = 'failed', failure = ? WHERE id = ?", arguments: [reason, id])
            try self.appendLog(log, in: db)
        }
    }

    public func extractionMark(id: String, atOrBefore offset: Int) async throws -> ExtractionMark {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT byte_offset, after_seq FROM extraction_marks WHERE extraction_id = ? AND byte_offset <= ? ORDER BY byte_offset DESC LIMIT 1",
                arguments: [id, offset]
            )
            return row.map { ExtractionMark(offset: $0[0], afterSequence: $0[1]) } ?? .start
        }
    }

    /// A text column of the current row, as SQLite holds it (empty when NULL).
    private static func text(_ statement: SQLiteStatement, _ column: Int32) -> UnsafeRawBufferPointer {
        // `sqlite3_column_bytes` after `sqlite3_column_text`, so the count is that of the UTF-8 text.
        guard let text = sqlite3_column_text(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column)))
    }

    private static func extraction(id: String, in db: Database) throws -> Extraction? {
        try Row.fetchOne(db, sql: "SELECT * FROM extractions WHERE id = ?", arguments: [id]).map(Self.extraction)
    }

    private static func extraction(_ row: Row) throws -> Extraction {
        let id: String = row["id"]
        let formatText: String = row["format"], statusText: String = row["status"]
        guard let format = ExtractionFormat(rawValue: formatText), let status = Extraction.Status(rawValue: statusText) else {
            throw StorageError(.corrupt, "extraction \(id) has format '\(formatText)' or status '\(statusText)' the hub does not know")
        }
        var snapshot: ExtractionSnapshot?
        if let through: Int64 = row["snapshot_seq"] {
            snapshot = ExtractionSnapshot(
                dealer: row["dealer"], throughSequence: through, logTreeSize: row["log_tree_size"], takenAt: try date(row["snapshot_at"])
            )
        }
        var manifest: ExtractionManifest?
        if let text: String = row["manifest"] {
            do {
                manifest = try JSONDecoder().decode(ExtractionManifest.self, from: Data(text.utf8))
            } catch {
                throw StorageError(.corrupt, "the manifest of extraction \(id) cannot be read back: \(error)")
            }
        }
        return Extraction(
            id: id, dealer: row["dealer"], requestedBy: row["requested_by"], format: format, purpose: row["purpose"],
            requestedAt: try date(row["requested_at"]), requestID: row["request_id"], status: status, snapshot: snapshot,
            manifest: manifest, failure: row["failure"]
        )
    }
}

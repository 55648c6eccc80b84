import CharterCore
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, so the CLI can add or revoke members while `serve`
/// runs, and every commit is durable (`synchronous = FULL`) before the hub acknowledges it.
public final class SQLiteHubStore: HubStore {
    let pool: DatabasePool
    /// The database file.
    public let path: String
    /// The access log's upper tree levels, loaded when the store opens and kept within a budget.
    let nodeCache = MerkleNodeCache()
    /// The terms of the access log's open run, gathered as entries commit, and the sorted terms of the run
    /// being written out, between the appends that write it.
    let termRunCache = LogTermRunCache()
    /// Copies the write-ahead log into the file between commits (`upkeep()`).
    let walCheckpointer: WALCheckpointer

    /// The database file inside a data directory.
    public static let fileName = "charterhub.sqlite"

    /// Where the database of a hub's data directory lives.
    public static func path(inDataDirectory dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    /// Opens (creating and migrating when needed) `<dataDirectory>/charterhub.sqlite`.
    public convenience init(dataDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try self.init(path: Self.path(inDataDirectory: dataDirectory))
    }

    /// The writer's page cache. Record ids and VINs are random, so each batch touches index pages all over
    /// the file; SQLite's default 2 MB made ingest re-read them from the OS (measured: 30k → 35k records/s
    /// on 120k records). Readers keep the default: their reads are short and indexed.
    static let writerCacheKiB = 65_536

    /// How the hub opens SQLite: WAL mode, the writer's page cache above, and every commit durable
    /// (`synchronous = FULL`: the WAL is synced before a commit returns). Public so that the benchmark's raw
    /// baseline opens its table the same way.
    ///
    /// `FULL` is set once the pool is open: `DatabasePool` switches its writer to `NORMAL` when it turns WAL
    /// on, after the configuration's `prepareDatabase`, and `NORMAL` syncs the WAL only at checkpoints, so an
    /// acknowledged write could be lost with the machine.
    public static func openPool(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)") }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return pool
    }

    /// Opens (creating and migrating when needed) the database at `path`.
    public init(path: String) throws {
        walCheckpointer = WALCheckpointer(path: path)
        do {
            pool = try Self.openPool(path: path)
            let migrator = HubSchema.migrator()
            // A newer hub's schema may keep data this one would write past (v7's term index is one): refuse it.
            if try pool.read(migrator.hasBeenSuperseded) {
                throw StorageError(.unavailable, "a newer charterhub upgraded this database; run that version or newer")
            }
            try migrator.migrate(pool)
            let cache = nodeCache
            try pool.read { db in try AccessLogTable.loadUpperLevels(db, into: cache) }
        } catch {
            throw StorageError(.unavailable, "cannot open the database at \(path): \(error)")
        }
        self.path = path
    }

    /// Copies the write-ahead log into the database file off the writer's path (`WALCheckpointer`).
    public func upkeep() async throws -> Bool {
        do {
            return try await walCheckpointer.checkpoint()
        } catch {
            throw StorageError(.unavailable, "cannot copy the write-ahead log into \(path): \(error)")
        }
    }

    // MARK: Directory

    public func directoryRevision() async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM hub_meta WHERE key = 'directory_revision'") ?? 0
        }
    }

    public func loadDirectory() async throws -> MemberDirectory {
        try await pool.read { db in
            let revision = try Int64.fetchOne(db, sql: "SELECT value FROM hub_meta WHERE key = 'directory_revision'") ?? 0
            let groups = try Row.fetchAll(db, sql: "SELECT id, name FROM dealer_groups").map {
                DealerGroup(id: $0["id"], name: $0["name"])
            }
            let members = try Row.fetchAll(db, sql: "SELECT \(Self.memberColumns) FROM members").map(Self.member)
            let certificates = try Row.fetchAll(
                db, sql: "SELECT serial, member_id, fingerprint, not_after, issued_at, revoked_at FROM member_certificates"
            ).map { row in
                MemberCertificate(
                    serial: row["serial"], memberID: row["member_id"], fingerprint: row["fingerprint"],
                    notAfter: try Self.date(row["not_after"]), issuedAt: try Self.date(row["issued_at"]),
                    revokedAt: try (row["revoked_at"] as String?).map(Self.date)
                )
            }
            let custodies = try Row.fetchAll(db, sql: "SELECT \(Self.custodyColumns) FROM custodies").map(Self.custody)
            return MemberDirectory(revision: revision, groups: groups, members: members, certificates: certificates, custodies: custodies)
        }
    }

    /// The columns `member(_:)` reads.
    static let memberColumns = "id, kind, group_id, name, status, sale_status"

    /// A member from a row of `memberColumns`.
    static func member(_ row: Row) throws -> Member {
        let kind: String = row["kind"], status: String = row["status"], sale: String = row["sale_status"]
        guard let kind = MemberKind(rawValue: kind), let status = MemberStatus(rawValue: status), let saleStatus = SaleStatus(rawValue: sale) else {
            throw StorageError(.corrupt, "member \(row["id"] as String) has kind '\(kind)', status '\(status)' or sale status '\(sale)' the hub does not know")
        }
        return Member(id: row["id"], kind: kind, group: row["group_id"], name: row["name"], status: status, saleStatus: saleStatus)
    }

    public func addGroup(_ group: DealerGroup) async throws {
        try await pool.write { db in
            guard try !Self.exists(db, "SELECT 1 FROM dealer_groups WHERE id = ?", [group.id]) else {
                throw StorageError(.alreadyExists, "group '\(group.id)' already exists")
            }
            try db.execute(
                sql: "INSERT INTO dealer_groups (id, name, created_at) VALUES (?, ?, ?)",
                arguments: [group.id, group.name, Timestamp.string(Date())]
            )
        }
    }

    public func addMember(_ member: Member, certificate: MemberCertificate) async throws {
        try await pool.write { db in
            guard try !Self.exists(db, "SELECT 1 FROM members WHERE id = ?", [member.id]) else {
                throw StorageError(.alreadyExists, "member '\(member.id)' already exists")
            }
            if let group = member.group, try !Self.exists(db, "SELECT 1 FROM dealer_groups WHERE id = ?", [group]) {
                throw StorageError(.invalidReference, "group '\(group)' does not exist; add it first with 'charterhub groups add'")
            }
            try db.execute(
                sql: "INSERT INTO members (id, kind, group_id, name, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [member.id, member.kind.rawValue, member.group, member.name, member.status.rawValue, Timestamp.string(Date())]
            )
            try db.execute(
                sql: "INSERT INTO member_certificates (serial, member_id, fingerprint, not_after, issued_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    certificate.serial, member.id, certificate.fingerprint,
                    Timestamp.string(certificate.notAfter), Timestamp.string(certificate.issuedAt),
                ]
            )
        }
    }

    public func revokeMember(_ id: String, at date: Date) async throws {
        try await pool.write { db in
            guard try Self.exists(db, "SELECT 1 FROM members WHERE id = ?", [id]) else {
                throw StorageError(.notFound, "member '\(id)' does not exist")
            }
            try db.execute(sql: "UPDATE members SET status = 'revoked' WHERE id = ?", arguments: [id])
            try db.execute(
                sql: "UPDATE member_certificates SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
                arguments: [Timestamp.string(date), id]
            )
        }
    }

    // MARK: Records

    public func insert(_ records: [StoredRecord], log: @Sendable ([InsertOutcome]) -> [AccessLogEntry]) async throws -> [InsertOutcome] {
        let prepared = records.map { record in
            let body = StoredRecord.canonicalJSON(record.input)
            return (record, body, StoredRecord.contentHash(body))
        }
        return try await pool.write { db in
            let find = try db.cachedStatement(sql: "SELECT seq, id FROM records WHERE entered_by = ? AND source_ref = ?")
            // A resend of any earlier version is a replay too: a DMS that retries after a correction loses nothing.
            let sameContent = try db.cachedStatement(sql: "SELECT 1 FROM record_versions WHERE record_seq = ? AND content_hash = ?")
            // A new sourceRef, the usual case, costs one index descent: the insert itself finds the duplicate.
            let insert = try db.cachedStatement(sql: """
                INSERT INTO records (id, entered_by, source_ref, vin, performed_on, recorded_at, content_hash, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (entered_by, source_ref) DO NOTHING
                """)
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(prepared.count)
            // A batch's records share their time: formatted once, not once a record.
            var formatted: (date: Date, text: String)?
            for (record, body, hash) in prepared {
                if formatted?.date != record.recordedAt { formatted = (record.recordedAt, Timestamp.string(record.recordedAt)) }
                let recordedAt = formatted!.text
                try DirectInsert.run(insert) { values in
                    values.text(record.id)
                    values.text(record.enteredBy)
                    values.text(record.input.sourceRef)
                    values.text(record.input.vin.value)
                    values.text(record.input.performedOn.description)
                    values.text(recordedAt)
                    values.text(hash)
                }
                guard db.changesCount == 1 else {
                    guard let existing = try Row.fetchOne(find, arguments: [record.enteredBy, record.input.sourceRef]) else {
                        throw StorageError(.corrupt, "record \(record.input.sourceRef) of \(record.enteredBy) was neither inserted nor found")
                    }
                    let existingSeq: Int64 = existing[0], existingID: String = existing[1]
                    if try Row.fetchOne(sameContent, arguments: [existingSeq, hash]) != nil, let current = try Self.record(id: existingID, in: db) {
                        outcomes.append(.replayed(current))
                    } else {
                        outcomes.append(.conflict(existingID: existingID))
                    }
                    continue
                }
                try Self.appendVersion(of: db.lastInsertedRowID, record.id, version: 1, enteredBy: record.enteredBy, recordedAt: recordedAt, hash: hash, body: body, in: db)
                outcomes.append(.created(record))
            }
            try self.appendLog(log(outcomes), in: db)
            return outcomes
        }
    }

    public func correct(
        id: String, input: RecordInput, expectedVersion: Int?, at date: Date, log: @Sendable (CorrectionOutcome) -> [AccessLogEntry]
    ) async throws -> CorrectionOutcome {
        let body = StoredRecord.canonicalJSON(input)
        let hash = StoredRecord.contentHash(body)
        return try await pool.write { db in
            let outcome: CorrectionOutcome
            if let row = try Self.recordRow(id: id, in: db) {
                let current = try Self.record(row)
                if let expectedVersion, expectedVersion != current.version {
                    outcome = .stale(current: current)
                } else if row[5] == hash {
                    outcome = .unchanged(current)
                } else {
                    let next = StoredRecord(id: id, enteredBy: current.enteredBy, recordedAt: date, input: input, version: current.version + 1)
                    let recordedAt = Timestamp.string(date)
                    try db.execute(
                        sql: "UPDATE records SET vin = ?, performed_on = ?, recorded_at = ?, content_hash = ?, version = ? WHERE id = ?",
                        arguments: [input.vin.value, input.performedOn.description, recordedAt, hash, next.version, id]
                    )
                    try Self.appendVersion(of: row[6], id, version: next.version, enteredBy: next.enteredBy, recordedAt: recordedAt, hash: hash, body: body, in: db)
                    outcome = .corrected(next)
                }
            } else {
                outcome = .notFound
            }
            try self.appendLog(log(outcome), in: db)
            return outcome
        }
    }

    public func record(id: String) async throws -> StoredRecord? {
        try singleQuery { db in try Self.record(id: id, in: db) }
    }

    public func history(vin: VIN) async throws -> [RecordDocument] {
        try singleQuery { db in
            // A cursor, so rows are not copied, each read as it comes.
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "\(Self.recordQuery) WHERE r.vin = ? ORDER BY r.performed_on, r.seq"),
                arguments: [vin.value]
            )
            var documents: [RecordDocument] = []
            while let row = try rows.next() { documents.append(try Self.document(row)) }
            return documents
        }
    }

    private static func record(id: String, in db: Database) throws -> StoredRecord? {
        try recordRow(id: id, in: db).map(Self.record)
    }

    /// The `recordQuery` row of the record `id`: reads, replays and corrections look a record up the same way.
    private static func recordRow(id: String, in db: Database) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: "\(Self.recordQuery) WHERE r.id = ?"), arguments: [id])
    }

    /// A record with its current version's body, which v6 keeps only in `record_versions`. Columns are read
    /// by position, as GRDB finds a column by name by lowercasing it at every access: `record(_:)` and
    /// `document(_:)` read 0–4, a correction also the content hash (5) and the record's row (6).
    private static let recordQuery = """
        SELECT r.id, r.entered_by, r.recorded_at, v.body, r.version, r.content_hash, r.seq
        FROM records r JOIN record_versions v ON v.record_seq = r.seq AND v.version = r.version
        """

    private static func record(_ row: Row) throws -> StoredRecord {
        let id: String = row[0]
        let input: RecordInput
        do {
            input = try RecordDecoder.readStored(try Self.bytes(row, at: 3))
        } catch {
            throw StorageError(.corrupt, "record \(id) cannot be read back: \(error)")
        }
        return StoredRecord(id: id, enteredBy: row[1], recordedAt: try date(row[2]), input: input, version: row[4])
    }

    /// A column's bytes (a record's body, a log leaf), copied straight from SQLite rather than through a
    /// `String`; empty when NULL.
    static func bytes(_ row: Row, at index: Int) throws -> [UInt8] {
        try row.withUnsafeData(atIndex: index) { $0.map { [UInt8]($0) } ?? [] }
    }

    private static func document(_ row: Row) throws -> RecordDocument {
        let id: String = row[0]
        let body = try Self.bytes(row, at: 3)
        do {
            return try RecordDocument(id: id, enteredBy: row[1], recordedAt: row[2], version: row[4], body: body)
        } catch {
            throw StorageError(.corrupt, "record \(id) cannot be read back: \(error.message)")
        }
    }

    /// Appends a version of the record at `recordSeq` (its row in `records`), which keys versions.
    private static func appendVersion(
        of recordSeq: Int64, _ id: String, version: Int, enteredBy: String, recordedAt: String, hash: String, body: Data, in db: Database
    ) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO record_versions (record_seq, record_id, version, entered_by, recorded_at, content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try DirectInsert.run(insert) { values in
            values.integer(recordSeq)
            values.text(id)
            values.integer(Int64(version))
            values.text(enteredBy)
            values.text(recordedAt)
            values.text(hash)
            values.text(utf8: body)
        }
    }

    /// Appends a write's log entries in its transaction; a refusal rolls the write back.
    func appendLog(_ entries: [AccessLogEntry], in db: Database) throws {
        do {
            try AccessLogTable.append(entries, in: db, cache: nodeCache, runs: termRunCache)
        } catch {
            throw StorageError(.logUnavailable, "the access log refused the entries of this write: \(error)")
        }
    }

    /// A short indexed read on the caller's thread. An async read hands the work to a reader thread and
    /// back, two thread switches that cost more than a point lookup (BENCHMARKS.md: ~170 µs against ~40 µs
    /// on 2 cores); under WAL a reader never waits for writers, so the caller is held only for the lookup.
    /// Scans (extractions, audit queries, directory loads) stay on async reads.
    func lookup<T>(_ value: (Database) throws -> T) throws -> T {
        try pool.read(value)
    }

    /// A `lookup` made of one `SELECT`, run without the read transaction `lookup` opens around its
    /// statements. SQLite runs every statement on a snapshot of its own, so one statement needs no more;
    /// the transaction (BEGIN, a savepoint, COMMIT) was about a third of a history read's time in GRDB.
    func singleQuery<T>(_ value: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(value)
    }

    static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Row.fetchOne(db, sql: sql, arguments: arguments) != nil
    }

    static func date(_ text: String) throws -> Date {
        guard let date = Timestamp.parse(text) else { throw StorageError(.corrupt, "'\(text)' is not an RFC 3339 timestamp") }
        return date
    }
}

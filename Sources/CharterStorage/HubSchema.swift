import GRDB

/// The database schema, as immutable migrations: a shipped migration is never edited, only followed.
enum HubSchema {
    /// `record_versions`' index by dealer and the triggers that keep its rows as written (C4): created by
    /// v3, and again by v5 after it rebuilds the table. A change to them is a new migration, never an edit here.
    private static let recordVersionsByDealerAndTriggers = """
        CREATE INDEX record_versions_by_dealer ON record_versions (entered_by, seq);
        \(keptAsWritten("record_versions", refusal: "record versions are kept as written (C4)"))
        """

    /// The two triggers that make `table` append-only: any update or removal of a row aborts with `refusal`.
    /// The hub's histories (record versions, sale transitions) are kept this way.
    private static func keptAsWritten(_ table: String, refusal: String) -> String {
        """
        CREATE TRIGGER \(table)_are_never_changed BEFORE UPDATE ON \(table)
        BEGIN
            SELECT RAISE(ABORT, '\(refusal)');
        END;
        CREATE TRIGGER \(table)_are_never_removed BEFORE DELETE ON \(table)
        BEGIN
            SELECT RAISE(ABORT, '\(refusal)');
        END;
        """
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-directory-and-records") { db in
            try db.execute(sql: """
                CREATE TABLE hub_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                );
                INSERT INTO hub_meta (key, value) VALUES ('directory_revision', 0);

                CREATE TABLE dealer_groups (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );

                CREATE TABLE members (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('dealer', 'oem', 'auditor', 'operator')),
                    group_id TEXT REFERENCES dealer_groups(id),
                    name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
                    created_at TEXT NOT NULL,
                    CHECK ((kind = 'dealer') = (group_id IS NOT NULL))
                );

                CREATE TABLE member_certificates (
                    serial TEXT PRIMARY KEY NOT NULL,
                    member_id TEXT NOT NULL REFERENCES members(id),
                    fingerprint TEXT NOT NULL UNIQUE,
                    not_after TEXT NOT NULL,
                    issued_at TEXT NOT NULL,
                    revoked_at TEXT
                );

                CREATE TABLE records (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    entered_by TEXT NOT NULL REFERENCES members(id),
                    source_ref TEXT NOT NULL,
                    vin TEXT NOT NULL,
                    performed_on TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    body TEXT NOT NULL,
                    UNIQUE (entered_by, source_ref)
                );
                CREATE INDEX records_by_vin ON records (vin, performed_on, seq);
                """)
            for table in ["dealer_groups", "members", "member_certificates"] {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_\(event.lowercased())_bumps_revision AFTER \(event) ON \(table)
                        BEGIN
                            UPDATE hub_meta SET value = value + 1 WHERE key = 'directory_revision';
                        END;
                        """)
                }
            }
        }
        migrator.registerMigration("v2-access-log") { db in
            try db.execute(sql: """
                CREATE TABLE log_entries (
                    idx INTEGER PRIMARY KEY,
                    leaf BLOB NOT NULL,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    vin TEXT,
                    dealer TEXT
                );
                CREATE INDEX log_by_actor ON log_entries (actor, idx);
                CREATE INDEX log_by_vin ON log_entries (vin, idx);
                CREATE INDEX log_by_dealer ON log_entries (dealer, idx);
                CREATE INDEX log_by_action ON log_entries (action, idx);
                CREATE INDEX log_by_time ON log_entries (time, idx);

                CREATE TABLE log_nodes (
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;

                CREATE TABLE log_checkpoints (
                    size INTEGER PRIMARY KEY,
                    note TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-record-versions-and-extractions") { db in
            // Every version of every record, append-only: `records` keeps the latest for reads and history,
            // `record_versions` keeps them all for extractions (C4). Triggers refuse any change or removal.
            try db.execute(sql: """
                CREATE TABLE record_versions (
                    seq INTEGER PRIMARY KEY,
                    record_id TEXT NOT NULL REFERENCES records(id),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    entered_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    body TEXT NOT NULL,
                    UNIQUE (record_id, version)
                );
                \(recordVersionsByDealerAndTriggers)

                ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                INSERT INTO record_versions (record_id, version, entered_by, recorded_at, content_hash, body)
                    SELECT id, 1, entered_by, recorded_at, content_hash, body FROM records ORDER BY seq;

                CREATE TABLE extractions (
                    id TEXT PRIMARY KEY NOT NULL,
                    dealer TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    format TEXT NOT NULL CHECK (format IN ('ndjson', 'csv')),
                    purpose TEXT,
                    requested_at TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'ready', 'failed')),
                    snapshot_seq INTEGER,
                    snapshot_at TEXT,
                    log_tree_size INTEGER,
                    manifest TEXT,
                    failure TEXT
                );
                CREATE INDEX extractions_by_status ON extractions (status, requested_at);
                CREATE INDEX extractions_by_requester ON extractions (requested_by, status);

                CREATE TABLE extraction_marks (
                    extraction_id TEXT NOT NULL REFERENCES extractions(id),
                    byte_offset INTEGER NOT NULL,
                    after_seq INTEGER NOT NULL,
                    PRIMARY KEY (extraction_id, byte_offset)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-dealer-sales-and-custody") { db in
            // The sale of dealerships (C6–C8): the current status on the member, every transition kept for
            // good, and the custody of a sold dealership's records (C7), which is part of the directory.
            try db.execute(sql: """
                ALTER TABLE members ADD COLUMN sale_status TEXT NOT NULL DEFAULT 'active'
                    CHECK (sale_status IN ('active', 'sale_pending', 'sold_to_network', 'sold_out_of_network'));

                CREATE TABLE dealer_sale_transitions (
                    seq INTEGER PRIMARY KEY,
                    dealer_id TEXT NOT NULL REFERENCES members(id),
                    action TEXT NOT NULL CHECK (action IN ('open', 'conclude', 'cancel')),
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    group_id TEXT NOT NULL,
                    buyer TEXT,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL
                );
                CREATE INDEX dealer_sale_transitions_by_dealer ON dealer_sale_transitions (dealer_id, seq);
                \(keptAsWritten("dealer_sale_transitions", refusal: "sale transitions are kept as written"))

                CREATE TABLE custodies (
                    dealer_id TEXT PRIMARY KEY NOT NULL REFERENCES members(id),
                    custodian_id TEXT NOT NULL REFERENCES members(id),
                    record_count INTEGER NOT NULL,
                    transferred_by TEXT NOT NULL,
                    transferred_at TEXT NOT NULL
                );
                CREATE INDEX custodies_by_custodian ON custodies (custodian_id);
                """)
            for event in ["INSERT", "UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TRIGGER custodies_\(event.lowercased())_bumps_revision AFTER \(event) ON custodies
                    BEGIN
                        UPDATE hub_meta SET value = value + 1 WHERE key = 'directory_revision';
                    END;
                    """)
            }
        }
        migrator.registerMigration("v5-record-versions-keyed-by-record-seq") { db in
            // Versions are unique per record by `records.seq`, which grows with each new record, rather than by
            // the random `record_id`: the key index takes new records at its right edge instead of a random
            // leaf page each (ingest, measured: the random index cost about a sixth of its throughput). The table
            // is rebuilt, since SQLite cannot drop a table constraint; `seq` keeps its values, so extraction
            // snapshots and resume marks stay valid, and the triggers come back as they were.
            try db.execute(sql: """
                CREATE TABLE record_versions_v5 (
                    seq INTEGER PRIMARY KEY,
                    record_seq INTEGER NOT NULL REFERENCES records(seq),
                    record_id TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    entered_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    body TEXT NOT NULL,
                    UNIQUE (record_seq, version)
                );
                INSERT INTO record_versions_v5 (seq, record_seq, record_id, version, entered_by, recorded_at, content_hash, body)
                    SELECT v.seq, r.seq, v.record_id, v.version, v.entered_by, v.recorded_at, v.content_hash, v.body
                    FROM record_versions v JOIN records r ON r.id = v.record_id ORDER BY v.seq;
                """)
            let copied = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record_versions_v5") ?? 0
            let kept = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record_versions") ?? 0
            guard copied == kept else {
                throw StorageError(.corrupt, "\(kept - copied) record versions name no record; the upgrade to v5 stops and changes nothing")
            }
            try db.execute(sql: """
                DROP TABLE record_versions;
                ALTER TABLE record_versions_v5 RENAME TO record_versions;
                \(recordVersionsByDealerAndTriggers)
                """)
        }
        // Foreign keys stay checked as it runs: it rebuilds no table, so it needs no check of the whole
        // database afterwards, which GRDB's deferred mode would run.
        migrator.registerMigration("v6-record-bodies-kept-once", foreignKeyChecks: .immediate) { db in
            // A record's current body is its current version's, which `record_versions` keeps anyway (C4), so
            // `records` keeps only the record's keys and the number of its current version: each body is
            // written and stored once (measured at ingest: the second copy cost 1 KB of writes a record, to
            // the WAL and again at checkpoints). Reads join the version. The upgrade first checks that every
            // record's current version holds exactly its body, and stops, changing nothing, if one does not.
            let unmatched = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM records r LEFT JOIN record_versions v ON v.record_seq = r.seq AND v.version = r.version
                WHERE v.seq IS NULL OR v.body IS NOT r.body
                """) ?? 0
            guard unmatched == 0 else {
                throw StorageError(.corrupt, "records whose current version holds another body: \(unmatched); the upgrade to v6 stops and changes nothing")
            }
            try db.execute(sql: "ALTER TABLE records DROP COLUMN body")
        }
        migrator.registerMigration("v7-log-terms-in-runs") { db in
            // The access log's indexes by actor, VIN and dealer took each entry on a random page; they become
            // sorted runs appended once per `LogTermIndex.runSize` entries (see `LogTermIndex`), STRICT so that
            // no value but an integer gets in. The runs of the entries already logged are built here, as the
            // append builds the next ones.
            try db.execute(sql: """
                DROP INDEX log_by_actor;
                DROP INDEX log_by_vin;
                DROP INDEX log_by_dealer;
                CREATE TABLE log_terms (
                    run INTEGER NOT NULL,
                    field INTEGER NOT NULL,
                    key INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    PRIMARY KEY (run, field, key, idx)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO hub_meta (key, value) VALUES ('log_indexed_end', 0);
                """)
            try LogTermIndex.extend(db, to: AccessLogTable.size(db))
        }
        migrator.registerMigration("v8-log-nodes-in-append-order") { db in
            // Keyed by (level, idx), each append wrote a page of `log_nodes` a level of the tree; keyed by
            // (last leaf << 6) | level (`AccessLogTable.nodeKey`), an append's nodes follow one another at the
            // end of the table. The key is computed here in SQL, as it was defined when this shipped. A node
            // whose last leaf is not below 2^56 (keys stay below 2^62) is outside the range of any log: it
            // stops the upgrade, which changes nothing.
            let outOfRange = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM log_nodes WHERE level NOT BETWEEN 0 AND 56 OR idx < 0 OR (idx >> (56 - level)) != 0
                """) ?? 0
            guard outOfRange == 0 else {
                throw StorageError(.corrupt, "access-log nodes outside any log's tree: \(outOfRange); the upgrade to v8 stops and changes nothing")
            }
            try db.execute(sql: """
                CREATE TABLE log_nodes_in_append_order (
                    pos INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL
                );
                INSERT INTO log_nodes_in_append_order (pos, hash)
                    SELECT ((((idx + 1) << level) - 1) << 6) | level, hash FROM log_nodes ORDER BY 1;
                DROP TABLE log_nodes;
                ALTER TABLE log_nodes_in_append_order RENAME TO log_nodes;
                """)
        }
        return migrator
    }
}

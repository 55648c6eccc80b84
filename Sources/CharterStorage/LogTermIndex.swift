import CharterCore
import GRDB

/// The access log's index by actor, VIN and dealer (auditors' `?actor=`, `?vin=`, `?dealer=`), kept as
/// sorted runs that only ever grow at their end.
///
/// A B-tree index keyed by VIN, actor or dealer takes each new entry on a random page, and each commit
/// writes every page it touched whole: three random pages an entry, which made up most of what the log
/// costs a history request (measured: BENCHMARKS.md). Here the log is cut into runs of `runSize` indices.
/// When an append completes a run, that run's terms are written at once, sorted, after the previous run's:
/// a few sequential pages for thousands of entries. A filtered query seeks its term in each run, then scans
/// the entries past the last indexed run, fewer than `runSize` while every writer indexes.
///
/// A row is `(run, field, key, idx)`: the field's number (`IndexedTerms.Field`) and the value's 64-bit key
/// (`IndexedTerms.key`), integers that sort in half the time text does, so completing a run holds the
/// writer about half as long. Run `k` holds the terms of indices `k * runSize ..< (k + 1) * runSize`. The
/// end of the indexed runs is recorded (`hub_meta.log_indexed_end`) in the transaction that indexes them:
/// queries trust the runs below it and scan the rest, and the next append indexes whatever a writer that
/// did not index (a hub older than v7) left behind.
enum LogTermIndex {
    static let runSize = 4_096

    /// Below this index, entries of a log of `logSize` entries are found through the runs; from it on, by
    /// scanning. The recorded end is held within the log, so that no value found in the file can make a
    /// query or an append run away.
    static func indexedEnd(_ db: Database, logSize: Int) throws -> Int {
        let recorded = try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM hub_meta WHERE key = 'log_indexed_end'")) ?? 0
        return min(max(recorded, 0), logSize)
    }

    /// Indexes every complete run of a log of `size` entries not indexed yet, inside the caller's write
    /// transaction. v7 builds the runs of an existing log with it: a change is a new migration.
    static func extend(_ db: Database, to size: Int) throws {
        let end = try indexedEnd(db, logSize: size)
        guard end <= size - runSize else { return }
        var run = end / runSize
        while (run + 1) * runSize <= size {
            try write(run: run, db)
            run += 1
        }
        try db.execute(
            sql: "INSERT INTO hub_meta (key, value) VALUES ('log_indexed_end', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [run * runSize]
        )
    }

    /// Reads the run's entries' columns, sorts their terms, and appends them in order. Rows already filed
    /// under the run, which no writer of this schema leaves, are cleared first, so none can block it.
    private static func write(run: Int, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM log_terms WHERE run = ?", arguments: [run])
        var rows: [(field: Int64, key: Int64, index: Int64)] = []
        rows.reserveCapacity(3 * runSize)
        let entries = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT idx, actor, dealer, vin FROM log_entries WHERE idx >= ? AND idx < ?"),
            arguments: [run * runSize, (run + 1) * runSize]
        )
        while let entry = try entries.next() {
            let index: Int64 = entry[0]
            for field in AccessLogEntry.IndexedTerms.Field.allCases {
                let key = try entry.withUnsafeData(atIndex: Int(field.rawValue)) { $0?.withUnsafeBytes { AccessLogEntry.IndexedTerms.key(utf8: $0) } }
                if let key { rows.append((field.rawValue, key, index)) }
            }
        }
        rows.sort { ($0.field, $0.key, $0.index) < ($1.field, $1.key, $1.index) }
        // Many rows a statement: a statement's step and reset cost about as much as inserting its row.
        var next = rows.startIndex
        while next < rows.endIndex {
            let count = rows.endIndex - next >= rowsPerInsert ? rowsPerInsert : 1
            let insert = try db.cachedStatement(sql: count == 1 ? insertOne : insertMany)
            try DirectInsert.run(insert) { values in
                for row in rows[next..<(next + count)] {
                    values.integer(Int64(run))
                    values.integer(row.field)
                    values.integer(row.key)
                    values.integer(row.index)
                }
            }
            next += count
        }
    }

    /// Rows a multi-row insert carries (four parameters each, well under SQLite's limit of 32,766).
    private static let rowsPerInsert = 64
    private static let insertOne = insert(rows: 1)
    private static let insertMany = insert(rows: rowsPerInsert)

    private static func insert(rows: Int) -> String {
        "INSERT INTO log_terms (run, field, key, idx) VALUES " + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Entries below `end` and after `after` whose `field` holds `value` in the index and that pass `filter`
    /// (conditions on `log_entries e`, bound by `arguments`), in log order, at most `limit`: one seek per
    /// run, runs in order, stopping once `limit` are found. Each seek is bounded to its run's indices, so a
    /// row filed under another run is never read.
    static func entries(
        _ db: Database, field: AccessLogEntry.IndexedTerms.Field, value: String, filter: String, arguments: StatementArguments,
        after: Int, below end: Int, limit: Int
    ) throws -> [LoggedEntry] {
        guard after < end - 1 else { return [] }
        let statement = try db.cachedStatement(sql: """
            SELECT e.idx, e.leaf FROM log_terms t CROSS JOIN log_entries e ON e.idx = t.idx
            WHERE t.run = ? AND t.field = ? AND t.key = ? AND t.idx >= ? AND t.idx < ? AND \(filter)
            ORDER BY t.idx LIMIT ?
            """)
        let key = AccessLogEntry.IndexedTerms.key(value)
        var entries: [LoggedEntry] = []
        var run = max(after, 0) / runSize
        while run * runSize < end, entries.count < limit {
            let arguments = [run, field.rawValue, key, max(after + 1, run * runSize), (run + 1) * runSize] + arguments + [limit - entries.count]
            entries += try Row.fetchAll(statement, arguments: arguments).map { LoggedEntry(index: $0[0], leaf: $0[1]) }
            run += 1
        }
        return entries
    }

    /// What the index holds for each entry of `range` (within the indexed runs), in order, as queries read
    /// it: a row counts for its entry only if it is filed under the entry's run with integer values and a
    /// known field; any other row naming the entry is surplus. Rows naming no entry of `range` are not read
    /// by queries for them, and not returned.
    static func terms(_ db: Database, of range: Range<Int>) throws -> [AccessLogEntry.IndexedTerms] {
        var terms = Array(repeating: AccessLogEntry.IndexedTerms(), count: range.count)
        guard !range.isEmpty else { return terms }
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT run, field, key, idx,
                       typeof(run) = 'integer' AND typeof(field) = 'integer' AND typeof(key) = 'integer' AND typeof(idx) = 'integer'
                FROM log_terms WHERE run BETWEEN ? AND ?
                """),
            arguments: [range.lowerBound / runSize, (range.upperBound - 1) / runSize]
        )
        while let row = try rows.next() {
            let index: Int = row[3]
            guard range.contains(index) else { continue }
            let slot = index - range.lowerBound
            let run: Int = row[0], integers: Bool = row[4]
            // Misfiled under another run: the bounded seek of `entries` never reads it.
            guard !integers || index / runSize == run else { continue }
            if integers, let field = AccessLogEntry.IndexedTerms.Field(rawValue: row[1]), terms[slot][field] == nil {
                terms[slot][field] = row[2]
            } else {
                terms[slot].surplus += 1
            }
        }
        return terms
    }
}

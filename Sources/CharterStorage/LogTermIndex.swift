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
/// the entries past the last complete run, fewer than `runSize`.
///
/// A row is `(run, field, key, idx)`: the field's number (`IndexedTerms.Field`) and the value's 64-bit key
/// (`IndexedTerms.key`), integers that sort in half the time text does, so completing a run holds the
/// writer about half as long. The run size is part of the schema (v7): run `k` holds the terms of indices
/// `k * runSize ..< (k + 1) * runSize`, and every complete run is indexed, in the transaction that completed it.
enum LogTermIndex {
    static let runSize = 4_096

    /// The indices below this are in a run; the ones from it on are read by scanning.
    static func indexedEnd(size: Int) -> Int {
        size / runSize * runSize
    }

    /// Indexes every run that growing the log from `oldSize` to `newSize` entries completed, inside the
    /// caller's write transaction. v7 builds the runs of an existing log with it: a change is a new migration.
    static func extend(_ db: Database, from oldSize: Int, to newSize: Int) throws {
        var run = oldSize / runSize
        while (run + 1) * runSize <= newSize {
            try write(run: run, db)
            run += 1
        }
    }

    /// The columns of `write`'s query that hold terms, and their fields.
    private static let columns: [(Int, AccessLogEntry.IndexedTerms.Field)] = [(1, .actor), (2, .dealer), (3, .vin)]

    /// Reads the run's entries' columns, sorts their terms, and appends them in order.
    private static func write(run: Int, _ db: Database) throws {
        var rows: [(field: Int64, key: Int64, index: Int64)] = []
        rows.reserveCapacity(3 * runSize)
        let entries = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT idx, actor, dealer, vin FROM log_entries WHERE idx >= ? AND idx < ?"),
            arguments: [run * runSize, (run + 1) * runSize]
        )
        while let entry = try entries.next() {
            let index: Int64 = entry[0]
            for (column, field) in columns {
                if let key = try entry.withUnsafeData(atIndex: column, { $0?.withUnsafeBytes { AccessLogEntry.IndexedTerms.key(utf8: $0) } }) {
                    rows.append((field.rawValue, key, index))
                }
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
    /// run, runs in order, stopping once `limit` are found.
    static func entries(
        _ db: Database, field: AccessLogEntry.IndexedTerms.Field, value: String, filter: String, arguments: StatementArguments,
        after: Int, below end: Int, limit: Int
    ) throws -> [LoggedEntry] {
        let statement = try db.cachedStatement(sql: """
            SELECT e.idx, e.leaf FROM log_terms t JOIN log_entries e ON e.idx = t.idx
            WHERE t.run = ? AND t.field = ? AND t.key = ? AND t.idx > ? AND \(filter)
            ORDER BY t.idx LIMIT ?
            """)
        let key = AccessLogEntry.IndexedTerms.key(value)
        var entries: [LoggedEntry] = []
        var run = max(0, after + 1) / runSize
        while run * runSize < end, entries.count < limit {
            let rows = try Row.fetchAll(statement, arguments: [run, field.rawValue, key, after] + arguments + [limit - entries.count])
            entries += rows.map { LoggedEntry(index: $0[0], leaf: $0[1]) }
            run += 1
        }
        return entries
    }

    /// What the index holds for each entry of `range`, in order, from the runs that cover it. A row filed
    /// under another run than its entry's is not found by queries, so it is not returned either.
    static func terms(_ db: Database, of range: Range<Int>) throws -> [AccessLogEntry.IndexedTerms] {
        var terms = Array(repeating: AccessLogEntry.IndexedTerms(), count: range.count)
        guard !range.isEmpty else { return terms }
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT run, field, key, idx FROM log_terms WHERE run BETWEEN ? AND ?"),
            arguments: [range.lowerBound / runSize, (range.upperBound - 1) / runSize]
        )
        while let row = try rows.next() {
            let run: Int = row[0], index: Int = row[3], key: Int64 = row[2]
            guard range.contains(index), index / runSize == run else { continue }
            let slot = index - range.lowerBound
            switch AccessLogEntry.IndexedTerms.Field(rawValue: row[1]) {
            case .actor where terms[slot].actor == nil: terms[slot].actor = key
            case .dealer where terms[slot].dealer == nil: terms[slot].dealer = key
            case .vin where terms[slot].vin == nil: terms[slot].vin = key
            default: terms[slot].surplus += 1
            }
        }
        return terms
    }
}

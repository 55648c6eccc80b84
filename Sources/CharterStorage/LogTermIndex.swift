import CharterCore
import GRDB

/// The access log's index by actor, VIN and dealer (auditors' `?actor=`, `?vin=`, `?dealer=`), kept as
/// sorted runs that only ever grow at their end.
///
/// A B-tree index keyed by VIN, actor or dealer takes each new entry on a random page, and each commit
/// writes every page it touched whole: three random pages an entry, which made up most of what the log
/// costs a history request (measured: BENCHMARKS.md). Here the log is cut into runs of `runSize` indices.
/// Once a run is complete, its terms are written, sorted, after the previous run's, a slice in each of the
/// next appends (`extend`): a few sequential pages for thousands of entries. A filtered query seeks its term
/// in each indexed run, then scans the entries past the last one, fewer than two runs' worth while every
/// writer indexes.
///
/// A row is `(run, field, key, idx)`: the field's number (`IndexedTerms.Field`) and the value's 64-bit key
/// (`IndexedTerms.key`), integers that sort in half the time text does. Run `k` holds the terms of indices
/// `k * runSize ..< (k + 1) * runSize`. The end of the indexed runs is recorded (`hub_meta.log_indexed_end`)
/// in the transaction that writes a run's last rows: queries trust the runs below it and scan the rest,
/// and the next appends index whatever a writer that did not index (a hub older than v7) left behind.
public enum LogTermIndex {
    /// Entries a run holds; public so that the benchmark can time whole runs.
    public static let runSize = 4_096

    /// Below this index, entries of a log of `logSize` entries are found through the runs; from it on, by
    /// scanning. The recorded end is held within the log, so that no value found in the file can make a
    /// query or an append run away.
    static func indexedEnd(_ db: Database, logSize: Int) throws -> Int {
        let recorded = try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM hub_meta WHERE key = 'log_indexed_end'")) ?? 0
        return min(max(recorded, 0), logSize)
    }

    /// A term as the index files it: the field's number, the value's key and the entry's index, the order
    /// of a run's rows.
    struct TermRow: Comparable, Sendable {
        let field: Int64
        let key: Int64
        let index: Int64

        static func < (lhs: TermRow, rhs: TermRow) -> Bool { (lhs.field, lhs.key, lhs.index) < (rhs.field, rhs.key, rhs.index) }

        /// Appends the rows of the entry at `index` holding `terms` to `rows`, one a field it names.
        static func append(_ terms: AccessLogEntry.IndexedTerms, at index: Int64, to rows: inout [TermRow]) {
            for field in AccessLogEntry.IndexedTerms.Field.allCases {
                if let key = terms[field] { rows.append(TermRow(field: field.rawValue, key: key, index: index)) }
            }
        }
    }

    /// Term rows an append writes at least, when a run is complete and not yet indexed. Writing a whole run
    /// (about 12,000 rows) in the append that completes it held the writer, and every request waiting on a
    /// commit, for about 4 ms (BENCHMARKS.md); a slice of it in each of the next appends holds each about
    /// 0.2 ms.
    static let rowsPerAppend = 512

    /// The term rows an append of `entries` writes at most: at least `rowsPerAppend`, and four an entry, more
    /// than the three an entry adds, so the runs keep up with the log whatever the size of the appends.
    static func rowBudget(appending entries: Int) -> Int {
        max(rowsPerAppend, 4 * entries)
    }

    /// Writes, inside the caller's write transaction, at most `rowBudget` term rows of the newest complete
    /// run not indexed yet; runs older than it (a backlog that only a writer that does not index, a hub
    /// older than v7, leaves) are written whole first, so that the index never falls further behind. A run
    /// becomes part of the index (the recorded end moves past it) once all its rows are written and counted.
    /// How far the run in progress is written is recorded too (`hub_meta.log_partial_run` and
    /// `log_partial_rows`), so the next append, of this process or another, goes on from there. A run's
    /// sorted terms come from `heldTerms` when it has them, else from its entries. Returns the run it left
    /// partly written, with its sorted terms, for the next append. v7 builds the runs of an existing log with
    /// it, with no budget: a change here must leave what that upgrade writes as it is.
    @discardableResult
    static func extend(
        _ db: Database, to size: Int, rowBudget: Int = .max, heldTerms: (Int) -> [TermRow]? = { _ in nil }
    ) throws -> (run: Int, terms: [TermRow])? {
        let end = try indexedEnd(db, logSize: size)
        guard end <= size - runSize else { return nil }
        var run = end / runSize
        let partialRun = try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM hub_meta WHERE key = 'log_partial_run'"))
        var written = partialRun == run ? try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM hub_meta WHERE key = 'log_partial_rows'")) ?? 0 : 0
        var budget = rowBudget
        var held: (run: Int, terms: [TermRow])?
        var rewritten = false
        while (run + 1) * runSize <= size {
            let backlog = (run + 2) * runSize <= size
            guard backlog || budget > 0 else { break }
            let terms = try heldTerms(run) ?? sortedTerms(of: run, db)
            held = (run, terms)
            // A count no writer of this schema leaves (or one another run's rows were counted for): start over.
            if written < 0 || written > terms.count { written = 0 }
            if written == 0 { try db.execute(sql: "DELETE FROM log_terms WHERE run = ?", arguments: [run]) }
            let count = backlog ? terms.count - written : min(budget, terms.count - written)
            try insert(terms[written..<(written + count)], run: run, db)
            if !backlog { budget -= count }
            written += count
            if written < terms.count { break }
            // The run holds exactly its terms before queries trust it: a recorded count or a row that no
            // writer of this schema leaves (rows skipped, a row planted) has it written again, once.
            if try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM log_terms WHERE run = ?"), arguments: [run]) != terms.count {
                guard !rewritten else { throw StorageError(.corrupt, "the access log's term index run \(run) does not hold its terms once written again") }
                rewritten = true
                written = 0
                continue
            }
            rewritten = false
            run += 1
            written = 0
        }
        try db.execute(
            sql: """
                INSERT INTO hub_meta (key, value) VALUES ('log_indexed_end', ?), ('log_partial_run', ?), ('log_partial_rows', ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """,
            arguments: [run * runSize, run, written]
        )
        return held?.run == run ? held : nil
    }

    /// The run's terms, read from its entries' columns and sorted.
    private static func sortedTerms(of run: Int, _ db: Database) throws -> [TermRow] {
        var terms: [TermRow] = []
        terms.reserveCapacity(3 * runSize)
        let entries = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT idx, actor, dealer, vin FROM log_entries WHERE idx >= ? AND idx < ?"),
            arguments: [run * runSize, (run + 1) * runSize]
        )
        while let entry = try entries.next() {
            var indexed = AccessLogEntry.IndexedTerms()
            for field in AccessLogEntry.IndexedTerms.Field.allCases {
                // The column's bytes as SQLite holds them: no `String` made of each value.
                indexed[field] = try entry.withUnsafeData(atIndex: Int(field.rawValue)) { $0?.withUnsafeBytes { AccessLogEntry.IndexedTerms.key(utf8: $0) } }
            }
            TermRow.append(indexed, at: entry[0], to: &terms)
        }
        terms.sort()
        return terms
    }

    /// Appends `terms` to the run, many rows a statement: a statement's step and reset cost about as much as
    /// inserting its row. A row already there (none a writer of this schema leaves) is kept, not an error,
    /// so that no row planted in the file can stop the log.
    private static func insert(_ terms: ArraySlice<TermRow>, run: Int, _ db: Database) throws {
        var next = terms.startIndex
        while next < terms.endIndex {
            let count = terms.endIndex - next >= rowsPerInsert ? rowsPerInsert : 1
            let insert = try db.cachedStatement(sql: count == 1 ? insertOne : insertMany)
            try DirectInsert.run(insert) { values in
                for term in terms[next..<(next + count)] {
                    values.integer(Int64(run))
                    values.integer(term.field)
                    values.integer(term.key)
                    values.integer(term.index)
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
        "INSERT OR IGNORE INTO log_terms (run, field, key, idx) VALUES " + Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ")
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

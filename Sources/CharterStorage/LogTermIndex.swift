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
/// The run size is part of the schema (v7): run `k` holds the terms of indices `k * runSize ..< (k + 1) *
/// runSize`, and every complete run is indexed, in the transaction that completed it.
enum LogTermIndex {
    static let runSize = 4_096

    /// The indices below this are in a run; the ones from it on are read by scanning.
    static func indexedEnd(size: Int) -> Int {
        size / runSize * runSize
    }

    /// Indexes every run that growing the log from `oldSize` to `newSize` entries completed, inside the
    /// caller's write transaction.
    static func extend(_ db: Database, from oldSize: Int, to newSize: Int) throws {
        var run = oldSize / runSize
        while (run + 1) * runSize <= newSize {
            try db.cachedStatement(sql: writeRun).execute(arguments: ["run": run, "start": run * runSize, "end": (run + 1) * runSize])
            run += 1
        }
    }

    /// Entries below `end` and after `after` whose `term` is indexed and that pass `filter` (conditions on
    /// `log_entries e`, bound by `arguments`), in log order, at most `limit`: one seek per run, runs in
    /// order, stopping once `limit` are found.
    static func entries(
        _ db: Database, matching term: (field: String, value: String), filter: String, arguments: StatementArguments,
        after: Int, below end: Int, limit: Int
    ) throws -> [LoggedEntry] {
        let statement = try db.cachedStatement(sql: """
            SELECT e.idx, e.leaf FROM log_terms t JOIN log_entries e ON e.idx = t.idx
            WHERE t.run = ? AND t.field = ? AND t.value = ? AND t.idx > ? AND \(filter)
            ORDER BY t.idx LIMIT ?
            """)
        var entries: [LoggedEntry] = []
        var run = max(0, after + 1) / runSize
        while run * runSize < end, entries.count < limit {
            let rows = try Row.fetchAll(statement, arguments: [run, term.field, term.value, after] + arguments + [limit - entries.count])
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
            db.cachedStatement(sql: "SELECT run, field, value, idx FROM log_terms WHERE run BETWEEN ? AND ?"),
            arguments: [range.lowerBound / runSize, (range.upperBound - 1) / runSize]
        )
        while let row = try rows.next() {
            let run: Int = row[0], index: Int = row[3]
            guard range.contains(index), index / runSize == run else { continue }
            let value: String = row[2]
            let slot = index - range.lowerBound
            switch row[1] as String {
            case "actor" where terms[slot].actor == nil: terms[slot].actor = value
            case "dealer" where terms[slot].dealer == nil: terms[slot].dealer = value
            case "vin" where terms[slot].vin == nil: terms[slot].vin = value
            default: terms[slot].surplus += 1
            }
        }
        return terms
    }

    /// One scan of the run's entries, each giving a row per term it has, sorted so that the B-tree grows
    /// at its right edge. v7 builds the runs of an existing log with it: a change is a new migration.
    static let writeRun = """
        INSERT INTO log_terms (run, field, value, idx)
        SELECT :run, f.field,
               CASE f.field WHEN 'actor' THEN e.actor WHEN 'vin' THEN e.vin ELSE e.dealer END AS value,
               e.idx
        FROM log_entries e, (SELECT 'actor' AS field UNION ALL SELECT 'vin' UNION ALL SELECT 'dealer') f
        WHERE e.idx >= :start AND e.idx < :end AND value IS NOT NULL
        ORDER BY 2, 3, 4
        """
}

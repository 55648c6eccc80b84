import CharterCore
import Foundation
import GRDB

extension SQLiteHubStore {
    public func appendLog(_ entries: [AccessLogEntry]) async throws -> Int {
        do {
            return try await pool.write(appending(entries))
        } catch {
            throw refusal(of: entries, error)
        }
    }

    public func appendLogBlocking(_ entries: [AccessLogEntry]) throws -> Int {
        do {
            return try pool.write(appending(entries))
        } catch {
            throw refusal(of: entries, error)
        }
    }

    private func appending(_ entries: [AccessLogEntry]) -> @Sendable (Database) throws -> Int {
        { [nodeCache, termRunCache] db in try AccessLogTable.append(entries, in: db, cache: nodeCache, runs: termRunCache) }
    }

    private func refusal(of entries: [AccessLogEntry], _ error: any Error) -> StorageError {
        StorageError(.logUnavailable, "the access log refused \(entries.count) entries: \(error)")
    }

    public func logSize() async throws -> Int {
        try lookup { db in try AccessLogTable.size(db) }
    }

    public func logRoot(size: Int) async throws -> TreeHash {
        try lookup { db in try AccessLogTable.prefetchedTree(db, cache: nodeCache) { _ = $0.root(size: size) }.root(size: size) }
    }

    public func inclusionProof(index: Int, size: Int) async throws -> [TreeHash] {
        try lookup { db in
            guard index >= 0, index < size else { throw StorageError(.outOfRange, "index \(index) is not below treeSize \(size)") }
            try Self.requireLog(holds: size, db)
            return try AccessLogTable.prefetchedTree(db, cache: nodeCache) { _ = $0.inclusionProof(index: index, size: size) }.inclusionProof(index: index, size: size)
        }
    }

    public func consistencyProof(from: Int, to: Int) async throws -> [TreeHash] {
        try lookup { db in
            guard from > 0, from <= to else { throw StorageError(.outOfRange, "from \(from) must be at least 1 and at most to \(to)") }
            try Self.requireLog(holds: to, db)
            return try AccessLogTable.prefetchedTree(db, cache: nodeCache) { _ = $0.consistencyProof(from: from, to: to) }.consistencyProof(from: from, to: to)
        }
    }

    /// Refuses a tree size the log has not reached, inside the same read that computes the proof.
    private static func requireLog(holds size: Int, _ db: Database) throws {
        let current = try AccessLogTable.size(db)
        guard size <= current else { throw StorageError(.outOfRange, "tree size \(size) is larger than the log (\(current) entries)") }
    }

    public func logEntries(_ query: AccessLogQuery) async throws -> [LoggedEntry] {
        // The entry's own columns hold every filter, the term index's included, so a term row cannot make an
        // entry match what it does not say.
        var conditions = ["e.idx > ?"]
        var arguments: StatementArguments = [query.after ?? -1]
        for (column, value) in [("actor", query.actor), ("vin", query.vin), ("dealer", query.dealer), ("action", query.action), ("decision", query.decision?.rawValue)] {
            if let value {
                conditions.append("e.\(column) = ?")
                arguments += [value]
            }
        }
        if let since = query.since {
            conditions.append("e.time >= ?")
            arguments += [since]
        }
        if let until = query.until {
            conditions.append("e.time <= ?")
            arguments += [until]
        }
        let filter = conditions.joined(separator: " AND ")
        let bound = arguments
        // The most selective of the indexed terms leads: a VIN, then a dealer, then an actor.
        let term = [(AccessLogEntry.IndexedTerms.Field.vin, query.vin), (.dealer, query.dealer), (.actor, query.actor)].lazy
            .compactMap { field, value in value.map { (field: field, value: $0) } }.first
        return try await pool.read { db in
            var entries: [LoggedEntry] = []
            var scannedFrom = 0
            if let term {
                let indexedEnd = try LogTermIndex.indexedEnd(db, logSize: AccessLogTable.size(db))
                entries = try LogTermIndex.entries(db, field: term.field, value: term.value, filter: filter, arguments: bound, after: query.after ?? -1, below: indexedEnd, limit: query.limit)
                scannedFrom = indexedEnd
            }
            guard entries.count < query.limit else { return entries }
            let rows = try Row.fetchAll(
                db, sql: "SELECT e.idx, e.leaf FROM log_entries e WHERE e.idx >= ? AND \(filter) ORDER BY e.idx LIMIT ?",
                arguments: [scannedFrom] + bound + [query.limit - entries.count]
            )
            return entries + rows.map { LoggedEntry(index: $0[0], leaf: $0[1]) }
        }
    }

    public func logLeaves(after: Int, limit: Int) async throws -> [LoggedLeaf] {
        try await pool.read { db in
            // One pass: each leaf with its level-0 node, by primary key; a cursor and column indexes, since
            // verification reads every leaf of the log.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT e.idx, e.leaf, n.hash, e.time, e.actor, e.action, e.decision, e.vin, e.dealer
                FROM log_entries e LEFT JOIN log_nodes n ON n.pos = e.idx << 6
                WHERE e.idx > ? ORDER BY e.idx LIMIT ?
                """, arguments: [after, limit])
            // The page's leaves below the indexed end: at most `limit` from the first after `after`.
            let indexedEnd = try LogTermIndex.indexedEnd(db, logSize: AccessLogTable.size(db))
            let first = after < indexedEnd ? max(after + 1, 0) : indexedEnd
            let indexed = first..<(first + max(0, min(limit, indexedEnd - first)))
            let terms = try LogTermIndex.terms(db, of: indexed)
            var leaves: [LoggedLeaf] = []
            leaves.reserveCapacity(min(limit, 65_536))
            while let row = try rows.next() {
                let index: Int = row[0]
                let leaf = try Self.bytes(row, at: 1)
                let recorded = try row.withUnsafeData(atIndex: 2) { $0.flatMap { TreeHash($0) } }
                let columns = AccessLogEntry.QueryColumns(time: row[3], actor: row[4], action: row[5], decision: row[6], vin: row[7], dealer: row[8])
                var held: AccessLogEntry.IndexedTerms?
                if indexed.contains(index) { held = terms[index - indexed.lowerBound] }
                leaves.append(LoggedLeaf(index: index, leaf: leaf, recordedHash: recorded, columns: columns, indexedTerms: held))
            }
            return leaves
        }
    }

    public func saveCheckpoint(size: Int, note: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO log_checkpoints (size, note, created_at) VALUES (?, ?, ?)",
                arguments: [size, note, Timestamp.string(Date())]
            )
        }
    }

    public func latestCheckpoint() async throws -> (size: Int, note: String)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1").map { ($0["size"], $0["note"]) }
        }
    }
}

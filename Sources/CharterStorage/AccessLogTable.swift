import CharterCore
import Foundation
import GRDB

/// The access log's tables: `log_entries` (the leaves, with indexed columns for auditors' filters),
/// `log_nodes` (every complete subtree hash, level 0 being the leaf hashes) and `log_checkpoints`.
enum AccessLogTable {
    /// Appends inside the caller's write transaction, so the log commits with whatever it records.
    /// The tree's right edge is rebuilt from stored nodes (O(log n) reads), which keeps appends correct
    /// whichever process writes. The new nodes at the cached levels reach `cache` only once committed.
    @discardableResult
    static func append(_ entries: [AccessLogEntry], in db: Database, cache: MerkleNodeCache, runs: LogTermRunCache) throws -> Int {
        let size = try size(db)
        guard !entries.isEmpty else { return size }
        var accumulator = try MerkleAccumulator(size: size, tree: prefetchedTree(db, cache: cache, keepsFetched: false) { _ = MerkleAccumulator(size: size, tree: $0) })
        let insertLeaf = try db.cachedStatement(sql: """
            INSERT INTO log_entries (idx, leaf, time, actor, action, decision, vin, dealer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertNode = try db.cachedStatement(sql: "INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)")
        let cachedFrom = cache.minimumLevel
        var written: [SubtreeCoordinate: TreeHash] = [:]
        var terms: [LogTermIndex.TermRow] = []
        terms.reserveCapacity(3 * entries.count)
        for entry in entries {
            let leaf = entry.canonicalJSON()
            let columns = entry.queryColumns
            LogTermIndex.TermRow.append(columns.indexedTerms, at: Int64(accumulator.size), to: &terms)
            try DirectInsert.run(insertLeaf) { values in
                values.integer(Int64(accumulator.size))
                values.blob(leaf)
                values.text(columns.time)
                values.text(columns.actor)
                values.text(columns.action)
                values.text(columns.decision)
                values.text(columns.vin)
                values.text(columns.dealer)
            }
            for node in accumulator.append(TreeHash.leaf(leaf)) {
                try DirectInsert.run(insertNode) { values in
                    values.integer(Int64(node.level))
                    values.integer(Int64(node.index))
                    node.hash.withUnsafeBytes { values.blob($0) }
                }
                if node.level >= cachedFrom { written[SubtreeCoordinate(level: node.level, index: node.index)] = node.hash }
            }
        }
        let appended = LogTermRunCache.Appended(first: size, end: accumulator.size, terms: terms)
        let writing = try LogTermIndex.extend(db, to: accumulator.size, rowBudget: LogTermIndex.rowBudget(appending: entries.count)) {
            runs.sortedTerms(of: $0, appending: appended)
        }
        let committed = written
        db.afterNextTransaction(onCommit: { _ in
            cache.keep(committed)
            runs.committed(appended, writing: writing)
        })
        return size
    }

    static func size(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries")) ?? 0
    }

    /// Fills `cache` with every stored node at the levels its budget allows, in one range scan of the
    /// primary key (about 50 ms for a million entries), so the first proofs are as fast as the later ones.
    static func loadUpperLevels(_ db: Database, into cache: MerkleNodeCache) throws {
        let minimumLevel = MerkleNodeCache.minimumLevel(forSize: try size(db))
        var nodes: [(SubtreeCoordinate, TreeHash)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT level, idx, hash FROM log_nodes WHERE level >= ? ORDER BY level, idx", arguments: [minimumLevel])
        while let row = try rows.next() {
            nodes.append(try node(row))
        }
        cache.load(minimumLevel: minimumLevel, nodes: nodes)
    }

    /// The tree restricted to the nodes `compute` needs: the upper ones from `cache`, the rest fetched in
    /// one query, so a proof or a root costs one round trip to SQLite for the few nodes below the cached
    /// levels. Only reads keep what they fetch (`keepsFetched`): a write transaction may yet roll back what it saw.
    static func prefetchedTree(
        _ db: Database, cache: MerkleNodeCache, keepsFetched: Bool = true, for compute: (MerkleTree<Never>) -> Void
    ) throws -> MerkleTree<any Error> {
        let wanted = Array(Set(SubtreeCoordinate.read(by: compute)))
        var hashes = cache.hashes(of: wanted)
        let needed = wanted.filter { hashes[$0] == nil }
        if !needed.isEmpty {
            // One point lookup per node, UNION ALL'd, so each uses the primary key (a row-value IN list
            // over VALUES would scan the table).
            let sql = Array(repeating: "SELECT level, idx, hash FROM log_nodes WHERE level = ? AND idx = ?", count: needed.count)
                .joined(separator: " UNION ALL ")
            let arguments = StatementArguments(needed.flatMap { [$0.level.databaseValue, $0.index.databaseValue] })
            var fetched: [SubtreeCoordinate: TreeHash] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
                let (coordinate, hash) = try node(row)
                fetched[coordinate] = hash
            }
            if keepsFetched { cache.keep(fetched) }
            hashes.merge(fetched) { cached, _ in cached }
        }
        let known = hashes
        return MerkleTree<any Error> { level, index in
            guard let hash = known[SubtreeCoordinate(level: level, index: index)] else {
                throw StorageError(.corrupt, "the access log has no node at level \(level), index \(index)")
            }
            return hash
        }
    }

    /// A `log_nodes` row (`level`, `idx`, `hash`); a hash that is not 32 bytes is corruption, never skipped.
    private static func node(_ row: Row) throws -> (SubtreeCoordinate, TreeHash) {
        let coordinate = SubtreeCoordinate(level: row["level"], index: row["idx"])
        guard let hash = TreeHash(row["hash"] as Data) else {
            throw StorageError(.corrupt, "the access log's node at level \(coordinate.level), index \(coordinate.index) is not a 32-byte hash")
        }
        return (coordinate, hash)
    }
}

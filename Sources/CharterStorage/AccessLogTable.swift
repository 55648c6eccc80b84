import CharterCore
import Foundation
import GRDB

/// The access log's tables: `log_entries` (the leaves, with indexed columns for auditors' filters),
/// `log_nodes` (every complete subtree hash, level 0 being the leaf hashes, keyed by `nodeKey`) and
/// `log_checkpoints`.
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
        let insertNode = try db.cachedStatement(sql: "INSERT INTO log_nodes (pos, hash) VALUES (?, ?)")
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
                let coordinate = SubtreeCoordinate(level: node.level, index: node.index)
                try DirectInsert.run(insertNode) { values in
                    values.integer(nodeKey(coordinate))
                    node.hash.withUnsafeBytes { values.blob($0) }
                }
                if node.level >= cachedFrom { written[coordinate] = node.hash }
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

    /// A node's key in `log_nodes`: its place in the order appends create nodes. The append of a subtree's
    /// last leaf creates it, after the lower subtrees that leaf completes, so (last leaf << 6) | level grows
    /// with every node and an append's nodes land together on the table's last page. Keyed by (level,
    /// index), an append wrote a page a level: about 13 of the 20 pages a commit of ten entries wrote.
    /// The level-0 node of leaf i is `i << 6`. Nodes whose last leaf is below 2^56, the range the v8
    /// upgrade accepts, get keys below 2^62.
    static func nodeKey(_ coordinate: SubtreeCoordinate) -> Int64 {
        Int64((((coordinate.index + 1) << coordinate.level) - 1) << 6 | coordinate.level)
    }

    /// The subtree `nodeKey` filed under `key`.
    static func coordinate(nodeKey key: Int64) -> SubtreeCoordinate {
        let level = Int(key & 63)
        return SubtreeCoordinate(level: level, index: ((Int(key >> 6) + 1) >> level) - 1)
    }

    /// Fills `cache` with every stored node at the levels its budget allows, so the first proofs are as
    /// fast as the later ones.
    static func loadUpperLevels(_ db: Database, into cache: MerkleNodeCache) throws {
        let size = try size(db)
        let minimumLevel = MerkleNodeCache.minimumLevel(forSize: size)
        let wanted = (minimumLevel..<Int.bitWidth).prefix { size >> $0 > 0 }
            .flatMap { level in (0..<(size >> level)).map { SubtreeCoordinate(level: level, index: $0) } }
        let found = try nodes(wanted, db)
        cache.load(minimumLevel: minimumLevel, nodes: wanted.lazy.compactMap { coordinate in found[coordinate].map { (coordinate, $0) } })
    }

    /// The stored hashes of `coordinates`, fetched by key a few hundred at a time.
    private static func nodes(_ coordinates: [SubtreeCoordinate], _ db: Database) throws -> [SubtreeCoordinate: TreeHash] {
        var found: [SubtreeCoordinate: TreeHash] = [:]
        found.reserveCapacity(coordinates.count)
        for start in stride(from: 0, to: coordinates.count, by: 500) {
            let chunk = coordinates[start..<min(start + 500, coordinates.count)]
            let sql = "SELECT pos, hash FROM log_nodes WHERE pos IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))"
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(chunk.map(nodeKey)))
            while let row = try rows.next() {
                let coordinate = coordinate(nodeKey: row[0])
                guard let hash = try row.withUnsafeData(atIndex: 1, { $0.flatMap { TreeHash($0) } }) else {
                    throw StorageError(.corrupt, "the access log's node at level \(coordinate.level), index \(coordinate.index) is not a 32-byte hash")
                }
                found[coordinate] = hash
            }
        }
        return found
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
            let fetched = try nodes(needed, db)
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
}

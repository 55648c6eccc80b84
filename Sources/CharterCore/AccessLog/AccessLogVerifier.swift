import Foundation

/// Checks an access log offline, from its stored leaves alone: every index present and in order, every
/// entry canonical, its query columns and its terms in the log's index as it says, every leaf hash as
/// stored, and the rebuilt root equal to the signed checkpoint's.
/// `verify` feeds it a store's leaves in index order and gives the verdict.
public struct AccessLogVerifier: Sendable {
    /// The first thing found wrong; `index` names the first bad entry where one can be named.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public let index: Int?
        public let reason: String
        public var description: String { index.map { "entry \($0): \(reason)" } ?? reason }
    }

    private let checkpoint: Checkpoint
    private var accumulator = MerkleAccumulator()
    private var rootAtCheckpoint: TreeHash?

    /// Starts a verification against a signed checkpoint, which must verify under `verifier`.
    public init(checkpointNote: String, verifier: NoteVerifier) throws(Failure) {
        guard let text = verifier.verify(checkpointNote) else {
            throw Failure(index: nil, reason: "the latest checkpoint's signature does not verify under \(verifier.verifierKey)")
        }
        guard let checkpoint = Checkpoint(text: text) else { throw Failure(index: nil, reason: "the latest checkpoint is not a tlog checkpoint") }
        guard checkpoint.origin == verifier.name else {
            throw Failure(index: nil, reason: "the checkpoint's origin '\(checkpoint.origin)' is not the key's name '\(verifier.name)'")
        }
        self.checkpoint = checkpoint
        if checkpoint.size == 0 { rootAtCheckpoint = .empty }
    }

    /// Entries checked so far.
    public var count: Int { accumulator.size }

    /// Checks what a leaf holds on its own: it is a canonical entry, its query columns and its terms in the
    /// log's index say what it says, and its bytes hash to the leaf hash recorded at append time.
    /// Independent of every other leaf, so pages are checked in parallel slices.
    static func check(_ leaf: LoggedLeaf) -> Result<TreeHash, Failure> {
        let entry: AccessLogEntry
        do {
            entry = try AccessLogEntry.parseCanonical(leaf.leaf)
        } catch {
            return .failure(Failure(index: leaf.index, reason: error.message))
        }
        let columns = entry.queryColumns
        guard leaf.columns == columns else {
            // Only a failure names the columns; every good leaf of the log pays one comparison.
            let differing = leaf.columns.differences(from: columns).joined(separator: ", ")
            return .failure(Failure(index: leaf.index, reason: "the columns auditors' queries filter on (\(differing)) do not say what the entry says"))
        }
        if let indexed = leaf.indexedTerms, indexed != columns.indexedTerms {
            return .failure(Failure(
                index: leaf.index, reason: "the index auditors' actor, VIN and dealer filters read does not hold exactly the entry's terms"
            ))
        }
        guard let recorded = leaf.recordedHash else {
            return .failure(Failure(index: leaf.index, reason: "the log holds no leaf hash recorded for it when it was appended"))
        }
        let hash = TreeHash.leaf(leaf.leaf)
        guard hash == recorded else {
            return .failure(Failure(index: leaf.index, reason: "its bytes do not hash to the leaf hash recorded when it was appended"))
        }
        return .success(hash)
    }

    /// Adds the next leaf, checked by `check`, to the rebuilt tree. Leaves come in index order, so the first
    /// failure thrown names the first bad index: a gap or disorder before that leaf's own fault.
    mutating func add(index: Int, checked: Result<TreeHash, Failure>) throws(Failure) {
        guard index == accumulator.size else {
            throw Failure(index: accumulator.size, reason: index > accumulator.size ? "missing (the next stored entry is \(index))" : "out of order")
        }
        accumulator.append(try checked.get())
        if accumulator.size == checkpoint.size { rootAtCheckpoint = accumulator.root }
    }

    /// The verdict once every leaf was added: the rebuilt root, and the checkpoint size it matched.
    public func finish() throws(Failure) -> (size: Int, root: TreeHash, checkpointSize: Int) {
        guard let rootAtCheckpoint else {
            throw Failure(index: accumulator.size, reason: "the log holds \(accumulator.size) entries but the signed checkpoint covers \(checkpoint.size)")
        }
        guard rootAtCheckpoint == checkpoint.root else {
            throw Failure(index: nil, reason: "the root rebuilt from the first \(checkpoint.size) entries does not match the signed checkpoint")
        }
        return (accumulator.size, accumulator.root, checkpoint.size)
    }

    /// Verifies the whole log of `store` against its latest signed checkpoint, reading it page by page.
    /// The next page is read while one is checked; the per-leaf checks (the costly part) run on every core;
    /// the tree is rebuilt in order.
    public static func verify(_ store: any AccessLogStore, verifier: NoteVerifier, pageSize: Int = 10_000) async throws -> (size: Int, root: TreeHash, checkpointSize: Int) {
        guard let checkpoint = try await store.latestCheckpoint() else { throw Failure(index: nil, reason: "the log has no signed checkpoint") }
        var verification = try AccessLogVerifier(checkpointNote: checkpoint.note, verifier: verifier)
        var reading = Task { try await store.logLeaves(after: -1, limit: pageSize) }
        defer { reading.cancel() }
        while true {
            let leaves = try await reading.value
            guard let last = leaves.last else { break }
            reading = Task { try await store.logLeaves(after: last.index, limit: pageSize) }
            for (leaf, checked) in zip(leaves, await checked(leaves)) {
                try verification.add(index: leaf.index, checked: checked)
            }
        }
        return try verification.finish()
    }

    /// `check` of every leaf, in order, computed in one slice per core.
    static func checked(_ leaves: [LoggedLeaf]) async -> [Result<TreeHash, Failure>] {
        let slices = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return await ParallelMap.map(leaves, sliceSize: (leaves.count + slices - 1) / slices, check)
    }
}

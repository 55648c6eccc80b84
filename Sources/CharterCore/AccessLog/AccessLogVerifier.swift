import Foundation

/// Checks an access log offline, from its stored leaves alone: every index present and in order, every
/// entry canonical, every leaf hash as stored, and the rebuilt root equal to the signed checkpoint's.
/// Feed it the leaves in index order, then ask for the verdict.
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

    /// Checks the next leaf. `storedHash` is the leaf hash the log kept for that index.
    public mutating func add(index: Int, leaf: Data, storedHash: TreeHash?) throws(Failure) {
        if index == accumulator.size, let failure = Self.canonicalFailure(index: index, leaf: leaf) { throw failure }
        try append(index: index, leaf: leaf, storedHash: storedHash)
    }

    /// Why the entry at `index` is not a canonical access-log entry, if it is not.
    static func canonicalFailure(index: Int, leaf: Data) -> Failure? {
        do {
            _ = try AccessLogEntry.parseCanonical(leaf)
            return nil
        } catch {
            return Failure(index: index, reason: error.message)
        }
    }

    /// The order and hash checks of `add`, without the canonical-form check.
    mutating func append(index: Int, leaf: Data, storedHash: TreeHash?) throws(Failure) {
        guard index == accumulator.size else {
            throw Failure(index: accumulator.size, reason: index > accumulator.size ? "missing (the next stored entry is \(index))" : "out of order")
        }
        let hash = TreeHash.leaf(leaf)
        guard hash == storedHash else { throw Failure(index: index, reason: "its bytes do not hash to the leaf hash recorded when it was appended") }
        accumulator.append(hash)
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
    /// Parsing entries (the costly part) runs on every core; the tree is rebuilt in order.
    public static func verify(_ store: any AccessLogStore, verifier: NoteVerifier, pageSize: Int = 10_000) async throws -> (size: Int, root: TreeHash, checkpointSize: Int) {
        guard let checkpoint = try await store.latestCheckpoint() else { throw Failure(index: nil, reason: "the log has no signed checkpoint") }
        var verification = try AccessLogVerifier(checkpointNote: checkpoint.note, verifier: verifier)
        var after = -1
        while true {
            let entries = try await store.logEntries(AccessLogQuery(after: after, limit: pageSize))
            guard let last = entries.last else { break }
            let hashes = try await store.logLeafHashes(from: entries[0].index, to: last.index + 1)
            // The canonical-form checks run on the other cores while this task rebuilds the tree.
            async let canonical = firstCanonicalFailure(entries)
            var treeFailure: Failure?
            do {
                for entry in entries { try verification.append(index: entry.index, leaf: entry.leaf, storedHash: hashes[entry.index]) }
            } catch {
                treeFailure = error
            }
            if let failure = await canonical, failure.index ?? .max <= treeFailure?.index ?? .max { throw failure }
            if let treeFailure { throw treeFailure }
            after = last.index
        }
        return try verification.finish()
    }

    /// The canonical-form failure of lowest index in `entries`, checked in parallel slices.
    static func firstCanonicalFailure(_ entries: [LoggedEntry]) async -> Failure? {
        let slices = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = (entries.count + slices - 1) / slices
        return await withTaskGroup(of: Failure?.self) { group in
            for start in stride(from: 0, to: entries.count, by: max(size, 1)) {
                let slice = entries[start..<min(entries.count, start + size)]
                group.addTask { slice.lazy.compactMap { canonicalFailure(index: $0.index, leaf: $0.leaf) }.first }
            }
            var first: Failure?
            for await failure in group {
                if let failure, failure.index ?? .max < first?.index ?? .max { first = failure }
            }
            return first
        }
    }
}

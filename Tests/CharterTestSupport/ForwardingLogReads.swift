import CharterCore

/// A store that changes only how access-log entries are appended, and hands the log's reads and
/// checkpoints to `base`, as the sequencer tests' gated store does.
public protocol ForwardingLogReads: AccessLogStore {
    associatedtype Base: AccessLogStore
    /// The store that answers the log's reads.
    var base: Base { get }
}

extension ForwardingLogReads {
    public func logSize() async throws -> Int { try await base.logSize() }
    public func logRoot(size: Int) async throws -> TreeHash { try await base.logRoot(size: size) }
    public func inclusionProof(index: Int, size: Int) async throws -> [TreeHash] { try await base.inclusionProof(index: index, size: size) }
    public func consistencyProof(from: Int, to: Int) async throws -> [TreeHash] { try await base.consistencyProof(from: from, to: to) }
    public func logEntries(_ query: AccessLogQuery) async throws -> [LoggedEntry] { try await base.logEntries(query) }
    public func logLeaves(after: Int, limit: Int) async throws -> [LoggedLeaf] { try await base.logLeaves(after: after, limit: limit) }
    public func saveCheckpoint(size: Int, note: String) async throws { try await base.saveCheckpoint(size: size, note: note) }
    public func latestCheckpoint() async throws -> (size: Int, note: String)? { try await base.latestCheckpoint() }
}

/// An extraction's content as a sequence of byte chunks read page by page from the store, so that
/// memory stays flat whatever the dealer's volume.
///
/// The job walks it once from the start to count and hash; each download walks it again from the
/// resume mark nearest its `Range`, which yields the same bytes because the snapshot is fixed.
public struct ExtractionContent: AsyncSequence, Sendable {
    public typealias Element = ExtractionPage

    /// Record versions per page: large enough to amortise a store read, small enough to stay flat.
    public static let pageSize = 2_048

    let store: any ExtractionStore
    let snapshot: ExtractionSnapshot
    let encoder: ExtractionEncoder
    let mark: ExtractionMark

    public init(store: any ExtractionStore, snapshot: ExtractionSnapshot, format: ExtractionFormat, from mark: ExtractionMark = .start) {
        self.store = store
        self.snapshot = snapshot
        self.encoder = ExtractionEncoder(format: format)
        self.mark = mark
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let content: ExtractionContent
        let start: Int64
        var atStart: Bool
        var finished = false
        var ahead: Ahead<Rendered>?

        public mutating func next() async throws -> ExtractionPage? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            let current = try await (ahead ?? content.render(content.read(after: start))).value()
            // While the caller sends or hashes this page, the next one renders and the one after is read.
            ahead = current.following.map(content.render)
            var page = current.page
            if atStart {
                page.bytes = content.encoder.header() + page.bytes
                atStart = false
            }
            guard page.lastSequence != nil else {
                finished = true
                return page.bytes.isEmpty ? nil : page
            }
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(content: self, start: mark.afterSequence, atStart: mark.offset == 0)
    }

    /// A rendered page, and the read of the page after it, already under way.
    struct Rendered: Sendable {
        var page: ExtractionPage
        var following: Ahead<StoredVersionPage>?
    }

    /// Starts reading the page after `cursor` on the store's thread.
    private func read(after cursor: Int64) -> Ahead<StoredVersionPage> {
        Ahead { [self] in try await store.extractionVersions(snapshot, after: cursor, limit: Self.pageSize) }
    }

    /// Renders `read`'s page once it arrives, having started the read of the next one.
    private func render(_ read: Ahead<StoredVersionPage>) -> Ahead<Rendered> {
        Ahead { [self] in
            let stored = try await read.value()
            let following = stored.lastSequence.map { self.read(after: $0) }
            return Rendered(page: try encoder.page(stored), following: following)
        }
    }

    /// Work started ahead of its use, on its own task: the store's read, the render and the caller's use
    /// of the previous page run on different cores. A pipeline holds at most three pages, so memory stays
    /// flat; work nobody will use is cancelled as its handle goes (a `Range` ends, a client leaves, the
    /// hub shuts down).
    final class Ahead<Value: Sendable>: Sendable {
        private let task: Task<Value, any Error>

        init(_ operation: @escaping @Sendable () async throws -> Value) {
            task = Task(operation: operation)
        }

        func value() async throws -> Value {
            try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        }

        deinit { task.cancel() }
    }
}

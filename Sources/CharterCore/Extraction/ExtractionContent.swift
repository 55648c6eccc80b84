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
        var cursor: Int64
        var atStart: Bool
        var finished = false

        public mutating func next() async throws -> ExtractionPage? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            var page = try await content.store.extractionPage(content.snapshot, after: cursor, limit: ExtractionContent.pageSize, encoder: content.encoder)
            if atStart {
                page.bytes = content.encoder.header() + page.bytes
                atStart = false
            }
            guard let last = page.lastSequence else {
                finished = true
                return page.bytes.isEmpty ? nil : page
            }
            cursor = last
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(content: self, cursor: mark.afterSequence, atStart: mark.offset == 0)
    }
}

import CharterCore
import Foundation
import Synchronization
import Testing

/// The content pipeline: the store reads ahead of the render, the render ahead of the caller, and no
/// further, so an extraction's memory stays flat however slow its client.
@Suite struct ExtractionContentTests {
    /// A dealer's versions in memory, counting the pages asked for. Only the content's reads are served.
    final class VersionsInMemory: ExtractionStore {
        let count: Int
        let reads = Mutex(0)

        init(count: Int) { self.count = count }

        func extractionVersions(_ snapshot: ExtractionSnapshot, after cursor: Int64, limit: Int) async throws -> StoredVersionPage {
            reads.withLock { $0 += 1 }
            var page = StoredVersionPage(enteredBy: snapshot.dealer)
            let last = min(cursor + Int64(limit), snapshot.throughSequence)
            for sequence in (cursor + 1)..<(max(cursor, last) + 1) {
                page.append(id: "rec_\(sequence)", version: 1, recordedAt: "2026-11-24T00:00:00.000Z", body: #"{"mileageKm":\#(sequence)}"#, sequence: sequence)
            }
            return page
        }

        struct Unsupported: Error {}
        func createExtraction(_ job: Extraction, log: [AccessLogEntry], unfinishedAtMost limit: Int) async throws -> Bool { throw Unsupported() }
        func extraction(id: String) async throws -> Extraction? { throw Unsupported() }
        func unfinishedExtractions() async throws -> [Extraction] { throw Unsupported() }
        func beginExtraction(id: String, at date: Date) async throws -> ExtractionSnapshot { throw Unsupported() }
        func completeExtraction(id: String, manifest: ExtractionManifest, marks: [ExtractionMark], log: [AccessLogEntry]) async throws { throw Unsupported() }
        func failExtraction(id: String, reason: String, log: [AccessLogEntry]) async throws { throw Unsupported() }
        func extractionMark(id: String, atOrBefore offset: Int) async throws -> ExtractionMark { throw Unsupported() }
    }

    static let pages = 5

    func content(_ store: VersionsInMemory) -> ExtractionContent {
        let snapshot = ExtractionSnapshot(dealer: "d-1", throughSequence: Int64(store.count), logTreeSize: 0, takenAt: Date())
        return ExtractionContent(store: store, snapshot: snapshot, format: .ndjson)
    }

    @Test func theWholeContentComesInOrderPageByPage() async throws {
        let store = VersionsInMemory(count: ExtractionContent.pageSize * Self.pages - 7)
        var lines: [Substring] = []
        var pages = 0
        for try await page in content(store) {
            pages += 1
            lines += String(decoding: page.bytes, as: UTF8.self).split(separator: "\n")
        }
        #expect(pages == Self.pages)
        #expect(lines.count == store.count)
        #expect(lines.enumerated().allSatisfy { $1.hasPrefix(#"{"id":"rec_\#($0 + 1)","#) })
        // Every page, and the empty one that says the end.
        #expect(store.reads.withLock { $0 } == Self.pages + 1)
    }

    @Test func nothingIsReadMoreThanTwoPagesAheadOfTheCaller() async throws {
        let store = VersionsInMemory(count: ExtractionContent.pageSize * Self.pages)
        do {
            var iterator = content(store).makeAsyncIterator()
            #expect(try await iterator.next() != nil)
            // Time for a pipeline without a bound to read on.
            try await Task.sleep(for: .milliseconds(100))
            // The page the caller holds, the one rendering, the one being read.
            #expect(store.reads.withLock { $0 } <= 3)
        }
        // A walk stopped early (a `Range` ended, a client left) reads nothing more.
        try await Task.sleep(for: .milliseconds(100))
        #expect(store.reads.withLock { $0 } <= 3)
    }
}

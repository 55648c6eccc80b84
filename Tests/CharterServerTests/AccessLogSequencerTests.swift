import CharterCore
@testable import CharterServer
import CharterStorage
import CharterTestSupport
import Dispatch
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The sequencer commits on a thread of its own: concurrent appends must each get their own durable
/// index, and a stop must commit what arrived before it, refuse what comes after, and end `run`.
@Suite struct AccessLogSequencerTests {
    /// A real store whose commits wait at a gate until the test opens it, so that entries pile up behind one.
    final class GatedStore: AccessLogStore {
        let base: SQLiteHubStore
        let entered = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        /// The size of each batch the sequencer committed, in order.
        let batches = Mutex<[Int]>([])

        init(base: SQLiteHubStore) { self.base = base }

        func appendLogBlocking(_ entries: [AccessLogEntry]) throws -> Int {
            entered.signal()
            gate.wait()
            batches.withLock { $0.append(entries.count) }
            return try base.appendLogBlocking(entries)
        }

        func appendLog(_ entries: [AccessLogEntry]) async throws -> Int { try await base.appendLog(entries) }

        // The log's reads and checkpoints, as the real store answers them.
        func logSize() async throws -> Int { try await base.logSize() }
        func logRoot(size: Int) async throws -> TreeHash { try await base.logRoot(size: size) }
        func inclusionProof(index: Int, size: Int) async throws -> [TreeHash] { try await base.inclusionProof(index: index, size: size) }
        func consistencyProof(from: Int, to: Int) async throws -> [TreeHash] { try await base.consistencyProof(from: from, to: to) }
        func logEntries(_ query: AccessLogQuery) async throws -> [LoggedEntry] { try await base.logEntries(query) }
        func logLeaves(after: Int, limit: Int) async throws -> [LoggedLeaf] { try await base.logLeaves(after: after, limit: limit) }
        func saveCheckpoint(size: Int, note: String) async throws { try await base.saveCheckpoint(size: size, note: note) }
        func latestCheckpoint() async throws -> (size: Int, note: String)? { try await base.latestCheckpoint() }
    }

    static let logger = Logger(label: "sequencer-test")

    func withStore(_ body: (SQLiteHubStore) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("charterhub-sequencer")
        defer { directory.remove() }
        try await body(try SQLiteHubStore(dataDirectory: directory.path))
    }

    @Test(.timeLimit(.minutes(1))) func concurrentAppendsEachGetTheirOwnDurableIndex() async throws {
        try await withStore { store in
            let sequencer = AccessLogSequencer(store: store, logger: Self.logger)
            let runner = Task { try await sequencer.run() }
            let entries = Fixtures.logEntries(0..<64)
            let indexes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for (number, entry) in entries.enumerated() { group.addTask { (number, try await sequencer.append(entry)) } }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            runner.cancel()
            try await runner.value
            #expect(Set(indexes.values) == Set(0..<64))
            let leaves = try await store.logEntries(AccessLogQuery(limit: 100))
            for (number, index) in indexes {
                #expect(leaves[index].leaf == entries[number].canonicalJSON(), "entry \(number) at index \(index)")
            }
        }
    }

    @Test(.timeLimit(.minutes(1))) func aStopCommitsWhatArrivedBeforeItAndRefusesTheRest() async throws {
        try await withStore { base in
            let store = GatedStore(base: base)
            let sequencer = AccessLogSequencer(store: store, logger: Self.logger)
            let group = ServiceGroup(configuration: .init(services: [sequencer], logger: Self.logger))
            try await withThrowingTaskGroup(of: Int?.self) { tasks in
                tasks.addTask { try await group.run(); return nil }
                // The first commit holds the thread at the gate; five more entries wait behind it.
                tasks.addTask { try await sequencer.append(Fixtures.logEntries(0..<1)[0]) }
                try await Self.wait { store.entered.wait(timeout: .now()) == .success }
                for entry in Fixtures.logEntries(1..<6) { tasks.addTask { try await sequencer.append(entry) } }
                try await Self.wait { sequencer.pendingCount == 5 }
                await group.triggerGracefulShutdown()
                try await Self.wait { sequencer.isStopping }
                // Open the gate for the held commit and the last one.
                store.gate.signal()
                store.gate.signal()
                var indexes: [Int] = []
                for try await index in tasks { if let index { indexes.append(index) } }
                #expect(indexes.sorted() == Array(0..<6))
            }
            // The five that waited went in one last commit, taken after the stop.
            #expect(store.batches.withLock { $0 } == [1, 5])
            #expect(try await base.logSize() == 6)
            await #expect(throws: AccessLogUnavailable.self) { try await sequencer.append(Fixtures.logEntries(6..<7)[0]) }
        }
    }

    /// Polls `condition` until it holds; the tests' time limit bounds it, by cancelling the sleep.
    static func wait(until condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(1)) }
    }
}

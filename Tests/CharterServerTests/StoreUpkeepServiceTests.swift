import CharterCore
@testable import CharterServer
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The upkeep service runs rounds beside the server, outlives a failing round, and stops at graceful shutdown.
@Suite struct StoreUpkeepServiceTests {
    /// A store whose first round fails and whose next rounds report work, then none; it tells each round.
    final class ScriptedUpkeep: StoreUpkeep {
        struct Failure: Error {}
        let rounds: AsyncStream<Int>
        private let roundRan: AsyncStream<Int>.Continuation
        private let count = Mutex(0)

        init() {
            (rounds, roundRan) = AsyncStream.makeStream(of: Int.self)
        }

        /// Ends `rounds`: the service has stopped, so no round will come.
        func stopped() {
            roundRan.finish()
        }

        func upkeep() async throws -> Bool {
            let round = count.withLock { count in
                count += 1
                return count
            }
            roundRan.yield(round)
            if round == 1 { throw Failure() }
            return round <= 3
        }
    }

    @Test(.timeLimit(.minutes(1))) func roundsGoOnAfterAFailureAndStopAtGracefulShutdown() async throws {
        let store = ScriptedUpkeep()
        let logger = Logger(label: "upkeep-test")
        let service = StoreUpkeepService(store: store, busyInterval: .milliseconds(1), idleInterval: .milliseconds(4), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        var seen: [Int] = []
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { store.stopped() }
                try await group.run()
            }
            // The failed round, two with work and three idle ones.
            for await round in store.rounds {
                seen.append(round)
                if round == 6 { break }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(seen == [1, 2, 3, 4, 5, 6])
    }
}

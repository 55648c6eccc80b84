import CharterCore
import Logging
import ServiceLifecycle

/// Runs the store's upkeep beside the server: a round every `busyInterval` while the store has work, the
/// wait doubling up to `idleInterval` while it has none, so that an idle hub barely wakes.
public struct StoreUpkeepService: Service {
    let store: any StoreUpkeep
    let busyInterval: Duration
    let idleInterval: Duration
    let logger: Logger

    /// The defaults copy SQLite's write-ahead log about every 20 ms under writes: often enough that the
    /// writer's own checkpoint finds little left (BENCHMARKS.md measures commits with and without).
    public init(store: any StoreUpkeep, busyInterval: Duration = .milliseconds(20), idleInterval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.busyInterval = busyInterval
        self.idleInterval = idleInterval
        self.logger = logger
    }

    public func run() async throws {
        // Stopped at graceful shutdown: the next round never starts. Nothing is lost by stopping, since
        // SQLite's own checkpoint still runs in the writer.
        try? await cancelWhenGracefulShutdown {
            var wait = busyInterval
            while !Task.isCancelled {
                do {
                    wait = try await store.upkeep() ? busyInterval : min(wait * 2, idleInterval)
                } catch where Task.isCancelled {
                    // Shutting down: SQLite's answer to the interrupted round is not a failure.
                    return
                } catch {
                    logger.warning("store upkeep failed; SQLite's own checkpoint still runs in the writer", metadata: ["error": "\(error)"])
                    wait = idleInterval
                }
                try await Task.sleep(for: wait)
            }
        }
    }
}

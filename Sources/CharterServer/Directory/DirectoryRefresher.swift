import CharterCore
import Logging
import ServiceLifecycle

/// Keeps the `MemberRegistry` in step with the store, so that `charterhub members revoke`, run in
/// another process, takes effect on a running hub within one polling interval.
public struct DirectoryRefresher: Service {
    let store: any DirectoryStore
    let registry: MemberRegistry
    let interval: Duration
    let logger: Logger

    public init(store: any DirectoryStore, registry: MemberRegistry, interval: Duration = .milliseconds(HubLimits.directoryPollMilliseconds), logger: Logger) {
        self.store = store
        self.registry = registry
        self.interval = interval
        self.logger = logger
    }

    /// Loads the directory into the registry if the store's revision moved.
    public func refresh() async throws {
        let revision = try await store.directoryRevision()
        guard revision != registry.directory.revision else { return }
        registry.install(try await store.loadDirectory())
        logger.debug("member directory reloaded", metadata: ["revision": "\(revision)"])
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await refresh()
            } catch {
                logger.error("cannot reload the member directory; keeping the previous one", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

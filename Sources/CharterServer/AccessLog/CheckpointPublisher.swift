import CharterCore
import Logging
import ServiceLifecycle
import Synchronization

/// Signs a C2SP checkpoint of the access log at least once a second while entries arrive, and on
/// demand, and keeps every signed checkpoint in the store.
public final class CheckpointPublisher: Service, Sendable {
    private let store: any AccessLogStore
    private let signer: NoteSigner
    private let logger: Logger
    private let interval: Duration
    /// The newest signed checkpoint: its size and note.
    private let latest = Mutex<(size: Int, note: String)?>(nil)

    public init(store: any AccessLogStore, signer: NoteSigner, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.signer = signer
        self.interval = interval
        self.logger = logger
    }

    /// The log's origin line, which is also the signing key's name.
    public var origin: String { signer.name }

    /// The verifier key auditors check checkpoints with.
    public var verifierKey: String { signer.verifier.verifierKey }

    /// A checkpoint of the log as it is now, signing a new one if the log grew since the last.
    public func current() async throws -> String {
        let size = try await store.logSize()
        if let known = latest.withLock({ $0 }), known.size == size { return known.note }
        if let stored = try await store.latestCheckpoint(), stored.size == size {
            latest.withLock { $0 = stored }
            return stored.note
        }
        let note = try signer.sign(Checkpoint(origin: signer.name, size: size, root: try await store.logRoot(size: size)).text)
        try await store.saveCheckpoint(size: size, note: note)
        latest.withLock { current in
            if (current?.size ?? -1) < size { current = (size, note) }
        }
        return note
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await current()
            } catch {
                logger.error("cannot sign an access-log checkpoint", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
        _ = try? await current()
    }
}

import CharterCore
import Logging
import ServiceLifecycle
import Synchronization

/// Appends access-log entries with group commit: every entry that arrives while a commit is under way
/// goes into the next one, so many concurrent requests share one durable transaction (one fsync).
///
/// A caller is resumed only once its entry is durable; if the commit fails, every caller in it gets the
/// error and must release nothing (fail closed).
public final class AccessLogSequencer: Service, Sendable {
    private struct Pending: Sendable {
        let entry: AccessLogEntry
        let continuation: CheckedContinuation<Int, any Error>
    }

    private enum State {
        case running([Pending])
        case stopped
    }

    private let store: any AccessLogStore
    private let logger: Logger
    private let state = Mutex(State.running([]))
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(store: any AccessLogStore, logger: Logger) {
        self.store = store
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Appends `entry` and returns its index once it is durable.
    public func append(_ entry: AccessLogEntry) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard case .running(var pending) = state else { return false }
                pending.append(Pending(entry: entry, continuation: continuation))
                state = .running(pending)
                return true
            }
            if accepted {
                wake.yield()
            } else {
                continuation.resume(throwing: AccessLogUnavailable(reason: "the access log is shut down"))
            }
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await commit(takePending())
            }
        } onGracefulShutdown: {
            self.wake.finish()
        }
        // Drain what arrived before the stop, then refuse the rest.
        let remaining = state.withLock { state -> [Pending] in
            defer { state = .stopped }
            if case .running(let pending) = state { return pending }
            return []
        }
        await commit(remaining)
    }

    private func takePending() -> [Pending] {
        state.withLock { state in
            guard case .running(let pending) = state else { return [] }
            state = .running([])
            return pending
        }
    }

    private func commit(_ batch: [Pending]) async {
        guard !batch.isEmpty else { return }
        do {
            let first = try await store.appendLog(batch.map(\.entry))
            for (offset, pending) in batch.enumerated() { pending.continuation.resume(returning: first + offset) }
        } catch {
            logger.error("access log append failed; refusing the requests in this commit", metadata: ["entries": "\(batch.count)", "error": "\(error)"])
            for pending in batch { pending.continuation.resume(throwing: AccessLogUnavailable(reason: "\(error)")) }
        }
    }
}

/// The access log could not make an entry durable; the request must fail and release nothing.
public struct AccessLogUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "access log unavailable: \(reason)" }
}

import CharterCore
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Appends access-log entries with group commit: every entry that arrives while a commit is under way
/// goes into the next one, so many concurrent requests share one durable transaction (one fsync).
///
/// A caller is resumed only once its entry is durable; if the commit fails, every caller in it gets the
/// error and must release nothing (fail closed).
///
/// Every request waits on this loop, so its commits run on a thread of its own, which blocks in SQLite.
/// Run as a task, the loop waited for a turn on the cooperative pool behind the requests, and hopped to
/// the store's queue and back, at every commit (BENCHMARKS.md measures both).
public final class AccessLogSequencer: Service, Sendable {
    private struct Pending: Sendable {
        let entry: AccessLogEntry
        let continuation: CheckedContinuation<Int, any Error>
    }

    private struct State {
        var pending: [Pending] = []
        /// Set when the service is asked to stop: the loop commits what is pending, then stops.
        var stopping = false
        /// Set by the loop once it took the last batch: later appends are refused.
        var stopped = false
    }

    private let store: any AccessLogStore
    private let logger: Logger
    private let state = Mutex(State())
    /// Signalled when `pending` stops being empty, or at stop: the loop's one reason to wake.
    private let wake = DispatchSemaphore(value: 0)

    public init(store: any AccessLogStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Appends `entry` and returns its index once it is durable.
    public func append(_ entry: AccessLogEntry) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> (accepted: Bool, wakes: Bool) in
                guard !state.stopped else { return (false, false) }
                state.pending.append(Pending(entry: entry, continuation: continuation))
                return (true, state.pending.count == 1)
            }
            if !outcome.accepted {
                continuation.resume(throwing: AccessLogUnavailable(reason: "the access log is shut down"))
            } else if outcome.wakes {
                wake.signal()
            }
        }
    }

    /// Commits until graceful shutdown or cancellation, then commits what arrived before the stop and
    /// refuses the rest.
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
                    Thread { [self] in
                        // Named from inside: a name given before the start does not reach the system's
                        // thread on Linux, and profiles should tell this thread apart.
                        Thread.current.name = "access-log"
                        commitUntilStopped()
                        finished.resume()
                    }.start()
                }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
    }

    /// Entries waiting for the next commit.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Whether a stop was asked for: the next batch the loop takes is its last.
    var isStopping: Bool { state.withLock { $0.stopping } }

    private func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
    }

    private func commitUntilStopped() {
        while true {
            wake.wait()
            let (batch, last) = state.withLock { state in
                defer { state.pending = [] }
                state.stopped = state.stopping
                return (state.pending, state.stopping)
            }
            commit(batch)
            if last { return }
        }
    }

    private func commit(_ batch: [Pending]) {
        guard !batch.isEmpty else { return }
        do {
            let first = try store.appendLogBlocking(batch.map(\.entry))
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

import CharterCore
import Foundation
import Logging
import ServiceLifecycle

/// Runs extraction jobs one at a time: takes the snapshot, walks the content once to count and hash
/// it, signs the manifest with the access-log key, and logs the completion (C4).
///
/// Jobs are durable. At start the worker takes up every job left pending or running; a job stopped
/// by shutdown keeps its snapshot and comes out identical when it runs again.
public final class ExtractionWorker: Service, Sendable {
    private let store: any HubStore
    private let signer: NoteSigner
    private let policyHash: String
    private let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation

    /// The actor the access log names for what the hub does on its own.
    static let hubActor = "charterhub"

    public init(store: any HubStore, signer: NoteSigner, policyHash: String, logger: Logger) {
        self.store = store
        self.signer = signer
        self.policyHash = policyHash
        self.logger = logger
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the worker a job is waiting.
    public func wake() {
        wakeup.yield()
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.drain()
            for await _ in self.wakeups {
                try await self.drain()
            }
        }
    }

    /// Runs every unfinished job, oldest first.
    private func drain() async throws {
        while true {
            let jobs: [Extraction]
            do {
                jobs = try await store.unfinishedExtractions()
            } catch {
                logger.error("cannot list extraction jobs", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
                continue
            }
            guard !jobs.isEmpty else { return }
            for job in jobs { try await run(job) }
        }
    }

    /// Runs one job to `ready` or `failed`; only cancellation (shutdown) leaves it running, to resume later.
    func run(_ job: Extraction) async throws {
        do {
            let snapshot = try await store.beginExtraction(id: job.id, at: Date())
            var tally = ExtractionTally()
            for try await page in ExtractionContent(store: store, snapshot: snapshot, format: job.format) {
                tally.add(page)
            }
            let manifest = try ExtractionManifest(
                id: job.id, dealer: job.dealer, requestedBy: job.requestedBy, format: job.format, recordCount: tally.records,
                versionCount: tally.versions, bytes: tally.bytes, sha256: tally.sha256, snapshotAt: Timestamp.string(snapshot.takenAt),
                logTreeSize: snapshot.logTreeSize, policyHash: policyHash
            ).signed(by: signer)
            try await store.completeExtraction(id: job.id, manifest: manifest, marks: tally.marks, log: [entry(job, decision: .allow)])
            logger.info("extraction ready", metadata: ["id": "\(job.id)", "versions": "\(tally.versions)", "bytes": "\(tally.bytes)"])
        } catch {
            // Shutdown cancels store calls too, whatever error they surface: the job stays running and resumes.
            if Task.isCancelled { throw CancellationError() }
            logger.error("extraction failed", metadata: ["id": "\(job.id)", "error": "\(error)"])
            let reason = "the hub could not produce the extraction; ask again, and tell the hub's operator if it fails again"
            do {
                try await store.failExtraction(id: job.id, reason: reason, log: [entry(job, decision: .deny, code: "extraction_failed")])
            } catch {
                logger.error("cannot record the failure of an extraction", metadata: ["id": "\(job.id)", "error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func entry(_ job: Extraction, decision: AccessLogEntry.Decision, code: String? = nil) -> AccessLogEntry {
        AccessLogEntry(
            actor: Self.hubActor, actorKind: "hub", action: "extraction.complete", decision: decision, clause: ExtractionRule.clause,
            purpose: job.purpose, target: .init(dealer: job.dealer, extraction: job.id), code: code, policyHash: policyHash,
            requestId: job.requestID
        )
    }
}

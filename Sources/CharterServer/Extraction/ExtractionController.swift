import CharterCore
import Foundation
import Hummingbird
import NIOCore

/// Extraction on demand (C4): `POST /v1/extractions`, `GET /v1/extractions/{id}` and
/// `GET /v1/extractions/{id}/content`, which streams the content from the store with `Range` support.
struct ExtractionController: Sendable {
    let store: any HubStore
    let registry: MemberRegistry
    let gate: PurposeGate
    let accessLog: AccessLogger
    let worker: ExtractionWorker
    let verifierKey: String

    func register(on table: RouteTable) {
        table.add(.post, "/v1/extractions", action: "extraction.request", request)
        table.add(.get, "/v1/extractions/{id}", action: "extraction.status", status)
        table.add(.get, "/v1/extractions/{id}/content", action: "extraction.download", content)
    }

    /// A job as the API shows it.
    struct JobBody: Encodable {
        let id: String
        let status: Extraction.Status
        let dealer: String
        let requestedBy: String
        let format: ExtractionFormat
        let purpose: String?
        let requestedAt: String
        let manifest: ExtractionManifest?
        /// Where to download the content, once ready.
        let content: String?
        /// The key that checks the manifest's signature (also served to auditors at /v1/audit/verifier-key).
        let verifierKey: String?
        let failure: String?
    }

    @Sendable func request(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let payload = try await JSONBody.collect(request, limit: HubLimits.extractionRequestBytes, mediaType: "application/json")
        let input = try RecordDecoder.decode(ExtractionRequest.self, from: payload.readableBytesView)
        // The brand extracts only in a dealership's name (C4): without one, say what is missing.
        if member.kind == .oem, input.dealer == nil {
            throw CharterError.invalid("dealer", "dealer is required when the brand asks: name the dealership whose data it extracts on its behalf (C4)")
        }
        let dealerID = input.dealer ?? member.id
        let target = AccessLogEntry.Target(dealer: dealerID)
        let dealer = registry.directory.members[dealerID]
        try await requireExtraction(member, of: dealer, context, action: "extraction.request", target: target)
        try await accessLog.require(
            ExtractionRule.decide(requester: member, dealerID: dealerID, dealer: dealer), context, action: "extraction.request", target: target
        )
        let job = Extraction(
            id: Extraction.makeID(), dealer: dealerID, requestedBy: member.id, format: input.format, purpose: context.purpose?.name, requestedAt: Date(),
            requestID: context.id
        )
        var entryTarget = target
        entryTarget.extraction = job.id
        let entry = accessLog.entry(context, action: "extraction.request", decision: .allow, clause: ExtractionRule.clause, target: entryTarget)
        guard try await store.createExtraction(job, log: [entry], unfinishedAtMost: HubLimits.extractionsInFlight) else {
            throw HubError(
                .tooManyRequests, code: "too_many_extractions",
                message: "at most \(HubLimits.extractionsInFlight) extractions per member may be pending or running; wait for one to finish"
            )
        }
        worker.wake()
        var response = try JSONBody.response(.accepted, body(job))
        response.headers[.location] = "/v1/extractions/\(job.id)"
        return response
    }

    @Sendable func status(_ request: Request, context: HubRequestContext) async throws -> Response {
        let job = try await partyJob(context, action: "extraction.status")
        // The manifest counts the dealership's records and versions: a read, logged before it is answered.
        try await accessLog.record(accessLog.entry(
            context, action: "extraction.status", decision: .allow, clause: ExtractionRule.clause, target: .init(dealer: job.dealer, extraction: job.id)
        ))
        return try JSONBody.response(.ok, body(job))
    }

    @Sendable func content(_ request: Request, context: HubRequestContext) async throws -> Response {
        let job = try await partyJob(context, action: "extraction.download")
        guard job.status == .ready, let manifest = job.manifest, let snapshot = job.snapshot else {
            throw HubError(
                .conflict, code: "extraction_not_ready",
                message: "extraction \(job.id) is \(job.status.rawValue); download its content once GET /v1/extractions/\(job.id) says ready"
            )
        }
        let etag = "\"\(manifest.sha256)\""
        var range = ByteRange(header: request.headers[.range], size: manifest.bytes)
        if let condition = request.headers[.ifRange], condition != etag { range = .whole }
        let bytes: ClosedRange<Int>?
        switch range {
        case .whole: bytes = manifest.bytes > 0 ? 0...(manifest.bytes - 1) : nil
        case .part(let part): bytes = part
        case .unsatisfiable:
            var error = HubError(
                .rangeNotSatisfiable, code: "range_not_satisfiable",
                message: "the content of \(job.id) is \(manifest.bytes) bytes; the requested range starts beyond it", field: "Range"
            )
            error.headers = [.contentRange: "bytes */\(manifest.bytes)"]
            throw error
        }
        let mark = try await store.extractionMark(id: job.id, atOrBefore: bytes?.lowerBound ?? 0)
        try await accessLog.record(accessLog.entry(
            context, action: "extraction.download", decision: .allow, clause: ExtractionRule.clause, target: .init(dealer: job.dealer, extraction: job.id)
        ))
        var headers: HTTPFields = [
            .contentType: job.format.mediaType, .acceptRanges: "bytes", .eTag: etag,
            .contentDisposition: "attachment; filename=\"\(job.id).\(job.format.rawValue)\"",
        ]
        if case .part(let part) = range { headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(manifest.bytes)" }
        let content = ExtractionContent(store: store, snapshot: snapshot, format: job.format, from: mark)
        let body = ResponseBody(contentLength: bytes?.count ?? 0) { writer in
            if let bytes { try await Self.stream(content, from: mark.offset, bytes: bytes, to: &writer) }
            try await writer.finish(nil)
        }
        return Response(status: range == .whole ? .ok : .partialContent, headers: headers, body: body)
    }

    /// Writes `bytes` of the content to `writer`, rendering from `start` (a resume mark) and skipping what
    /// lies before the range. The content holds at most three pages at a time, so memory stays flat.
    private static func stream(_ content: ExtractionContent, from start: Int, bytes: ClosedRange<Int>, to writer: inout any ResponseBodyWriter) async throws {
        var position = start
        for try await page in content {
            let pageRange = position..<(position + page.bytes.count)
            position = pageRange.upperBound
            let wanted = pageRange.clamped(to: bytes.lowerBound..<(bytes.upperBound + 1))
            if !wanted.isEmpty {
                try await writer.write(ByteBuffer(bytes: page.bytes[(wanted.lowerBound - pageRange.lowerBound)..<(wanted.upperBound - pageRange.lowerBound)]))
            }
            if position > bytes.upperBound { return }
        }
        // The snapshot is fixed, so this means the stored versions no longer match the signed manifest.
        throw HubError(.internalServerError, code: "extraction_inconsistent", message: "the content ended at byte \(position), before the manifest's length")
    }

    /// The job `{id}`, if the caller is its requester or its dealer (anyone else is refused, C4) and its
    /// purpose covers extraction (the brand declares one on every request, C5).
    private func partyJob(_ context: HubRequestContext, action: String) async throws -> Extraction {
        let member = try context.requireMember()
        let id = try context.parameters.require("id")
        guard let job = try await store.extraction(id: id) else { throw HubError.notFound("no extraction '\(id)'") }
        guard job.isParty(member.id) else {
            throw HubError.forbidden(
                "extraction \(id) is for \(job.dealer) and its requester only (C4); '\(member.id)' is neither", clause: ExtractionRule.clause
            )
        }
        try await requireExtraction(member, of: registry.directory.members[job.dealer], context, action: action, target: .init(dealer: job.dealer, extraction: job.id))
        return job
    }

    /// The purpose gate for an extraction of `dealer`'s data (C5, C6, C8), logged when it refuses.
    private func requireExtraction(_ member: Member, of dealer: Member?, _ context: HubRequestContext, action: String, target: AccessLogEntry.Target) async throws {
        let decision = gate.decide(
            .extraction, by: member, purpose: context.purpose, onBehalfOf: context.onBehalfOf, touching: dealer.map { [$0] } ?? []
        )
        try await accessLog.require(decision, context, action: action, target: target)
    }

    private func body(_ job: Extraction) -> JobBody {
        JobBody(
            id: job.id, status: job.status, dealer: job.dealer, requestedBy: job.requestedBy, format: job.format, purpose: job.purpose,
            requestedAt: Timestamp.string(job.requestedAt), manifest: job.manifest,
            content: job.status == .ready ? "/v1/extractions/\(job.id)/content" : nil,
            verifierKey: job.status == .ready ? verifierKey : nil, failure: job.failure
        )
    }
}

import CharterCore
import CharterStorage
import Foundation
import Hummingbird
import NIOCore

/// The auditor API: query the access log, fetch signed checkpoints, the verifier key and RFC 9162 proofs.
/// Open to auditors and the operator; everyone else is refused, and the refusal is itself logged.
struct AuditController: Sendable {
    let store: any AccessLogStore
    let checkpoints: CheckpointPublisher
    let accessLog: AccessLogger

    /// The most entries one page returns.
    static let pageLimit = 1_000

    func register(on table: RouteTable) {
        table.add(.get, "/v1/audit/entries", action: "audit.entries", entries)
        table.add(.get, "/v1/audit/checkpoint", action: "audit.checkpoint", checkpoint)
        table.add(.get, "/v1/audit/verifier-key", action: "audit.verifier_key", verifierKey)
        table.add(.get, "/v1/audit/proofs/inclusion", action: "audit.proof.inclusion", inclusion)
        table.add(.get, "/v1/audit/proofs/consistency", action: "audit.proof.consistency", consistency)
    }

    struct Page: Encodable {
        struct Item: Encodable {
            let index: Int
            let leaf: String
            let entry: AccessLogEntry
        }
        let entries: [Item]
        let next: Int?
    }

    @Sendable func entries(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireAuditor(context)
        let parameters = request.uri.queryParameters
        var query = AccessLogQuery(
            actor: parameters["actor"].map(String.init), vin: parameters["vin"].map(String.init),
            dealer: parameters["dealer"].map(String.init), action: parameters["action"].map(String.init),
            since: try timestamp(parameters, "since"), until: try timestamp(parameters, "until"),
            after: try integer(parameters, "after", minimum: -1), limit: try integer(parameters, "limit", minimum: 1) ?? 100
        )
        if let decision = parameters["decision"] {
            guard let value = AccessLogEntry.Decision(rawValue: String(decision)) else {
                throw Self.badRange("decision", "decision is allow or deny")
            }
            query.decision = value
        }
        guard query.limit <= Self.pageLimit else { throw Self.badRange("limit", "limit is at most \(Self.pageLimit)") }
        let wanted = query.limit
        query.limit += 1
        let found = try await store.logEntries(query)
        let page = found.prefix(wanted)
        var items: [Page.Item] = []
        for logged in page {
            items.append(Page.Item(index: logged.index, leaf: logged.leaf.base64EncodedString(), entry: try AccessLogEntry.parseCanonical(logged.leaf)))
        }
        try await accessLog.record(accessLog.entry(context, action: "audit.entries", decision: .allow))
        return try JSONBody.response(.ok, Page(entries: items, next: found.count > wanted ? page.last?.index : nil))
    }

    @Sendable func checkpoint(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireAuditor(context)
        let note = try await checkpoints.current()
        try await accessLog.record(accessLog.entry(context, action: "audit.checkpoint", decision: .allow))
        return Self.text(note)
    }

    @Sendable func verifierKey(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireAuditor(context)
        return Self.text(checkpoints.verifierKey + "\n")
    }

    struct InclusionProof: Encodable {
        let index: Int
        let treeSize: Int
        let hashes: [String]
    }

    @Sendable func inclusion(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireAuditor(context)
        let parameters = request.uri.queryParameters
        guard let index = try integer(parameters, "index", minimum: 0), let size = try integer(parameters, "treeSize", minimum: 1) else {
            throw Self.badRange("index", "index and treeSize are required")
        }
        guard index < size else { throw Self.badRange("index", "index \(index) is not below treeSize \(size)") }
        let proof = try await Self.withinLog(field: "treeSize") { try await store.inclusionProof(index: index, size: size) }
        try await accessLog.record(accessLog.entry(context, action: "audit.proof.inclusion", decision: .allow))
        return try JSONBody.response(.ok, InclusionProof(index: index, treeSize: size, hashes: proof.map(\.base64)))
    }

    struct ConsistencyProof: Encodable {
        let from: Int
        let to: Int
        let hashes: [String]
    }

    @Sendable func consistency(_ request: Request, context: HubRequestContext) async throws -> Response {
        try requireAuditor(context)
        let parameters = request.uri.queryParameters
        guard let from = try integer(parameters, "from", minimum: 1), let to = try integer(parameters, "to", minimum: 1) else {
            throw Self.badRange("from", "from and to are required, both at least 1")
        }
        guard from <= to else { throw Self.badRange("from", "from \(from) is larger than to \(to)") }
        let proof = try await Self.withinLog(field: "to") { try await store.consistencyProof(from: from, to: to) }
        try await accessLog.record(accessLog.entry(context, action: "audit.proof.consistency", decision: .allow))
        return try JSONBody.response(.ok, ConsistencyProof(from: from, to: to, hashes: proof.map(\.base64)))
    }

    private func requireAuditor(_ context: HubRequestContext) throws {
        let member = try context.requireMember()
        guard member.kind == .auditor || member.kind == .operator else {
            throw HubError.forbidden("the access log is open to auditors and the operator only; '\(member.id)' is of kind \(member.kind.rawValue)", clause: nil)
        }
    }

    private func integer(_ parameters: Parameters, _ name: String, minimum: Int) throws -> Int? {
        guard let text = parameters[Substring(name)] else { return nil }
        guard let value = Int(text), value >= minimum else { throw Self.badRange(name, "\(name) must be a whole number of at least \(minimum)") }
        return value
    }

    private func timestamp(_ parameters: Parameters, _ name: String) throws -> String? {
        guard let text = parameters[Substring(name)] else { return nil }
        guard let date = Timestamp.parse(String(text)) else { throw Self.badRange(name, "\(name) must be an RFC 3339 UTC time such as 2026-11-23T08:00:00Z") }
        return Timestamp.string(date)
    }

    /// Runs a proof; the store's refusal of a size beyond the log becomes `invalid_range` on `field`.
    private static func withinLog(field: String, _ proof: () async throws -> [TreeHash]) async throws -> [TreeHash] {
        do {
            return try await proof()
        } catch let error as StorageError where error.code == .outOfRange {
            throw badRange(field, error.message)
        }
    }

    static func badRange(_ field: String, _ message: String) -> HubError {
        HubError(.unprocessableContent, code: "invalid_range", message: message, field: field)
    }

    static func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

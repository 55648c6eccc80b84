import CharterCore
import Hummingbird

/// Builds access-log entries for the current request and makes them durable before anything is released.
public struct AccessLogger: Sendable {
    let sink: any AccessLogSink
    let policyHash: String

    /// Who the request's actor is: the authenticated member, else what its certificate claimed.
    static func actor(_ context: HubRequestContext) -> (id: String, kind: String) {
        if let member = context.member { return (member.id, member.kind.rawValue) }
        if let peer = context.peer { return (peer.certificate.commonName, "unknown") }
        return ("anonymous", "unknown")
    }

    /// An entry for `action` by the request's actor, under the request's purpose and in the name of the
    /// dealership the brand acts for, if any (C5).
    func entry(
        _ context: HubRequestContext, action: String, decision: AccessLogEntry.Decision, clause: String? = nil,
        target: AccessLogEntry.Target? = nil, fields: [String: [String]]? = nil, code: String? = nil
    ) -> AccessLogEntry {
        let actor = Self.actor(context)
        return AccessLogEntry(
            actor: actor.id, actorKind: actor.kind, action: action, decision: decision, clause: clause, purpose: context.purpose?.name,
            onBehalfOf: context.onBehalfOf, target: target, fields: fields, code: code, policyHash: policyHash, requestId: context.id
        )
    }

    /// Logs the charter's refusal of `action` on `target` and returns the 403 to throw, marked as logged.
    func refusal(_ context: HubRequestContext, action: String, clause: String, reason: String, target: AccessLogEntry.Target?) async throws -> HubError {
        try await record(entry(context, action: action, decision: .deny, clause: clause, target: target, code: "forbidden"))
        var error = HubError.forbidden(reason, clause: clause)
        error.logged = true
        return error
    }

    /// Throws the logged refusal when `decision` denies.
    func require(_ decision: UseDecision, _ context: HubRequestContext, action: String, target: AccessLogEntry.Target?) async throws {
        if case .deny(let clause, let reason) = decision {
            throw try await refusal(context, action: action, clause: clause, reason: reason, target: target)
        }
    }

    /// Makes `entry` durable; a failure becomes a 503 and the caller releases nothing.
    func record(_ entry: AccessLogEntry) async throws {
        do {
            _ = try await sink.append(entry)
        } catch {
            throw HubError.logUnavailable
        }
    }

    /// The field names of each relation in `views`, for the `fields` member of an entry.
    static func fields(_ views: [RecordView]) -> [String: [String]] {
        var byRelation: [String: FieldSet] = [:]
        for view in views { byRelation[view.relation.rawValue, default: []].formUnion(view.fields) }
        return byRelation.mapValues { $0.fields.map(\.rawValue) }
    }
}

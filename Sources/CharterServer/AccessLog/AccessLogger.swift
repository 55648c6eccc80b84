import CharterCore
import Hummingbird

/// Builds access-log entries for the current request and makes them durable before anything is released.
public struct AccessLogger: Sendable {
    let sequencer: AccessLogSequencer
    let policyHash: String

    /// Who the request's actor is: the authenticated member, else what its certificate claimed.
    static func actor(_ context: HubRequestContext) -> (id: String, kind: String) {
        if let member = context.member { return (member.id, member.kind.rawValue) }
        if let peer = context.peer { return (peer.certificate.commonName, "unknown") }
        return ("anonymous", "unknown")
    }

    /// An entry for `action` by the request's actor.
    func entry(
        _ context: HubRequestContext, action: String, decision: AccessLogEntry.Decision, clause: String? = nil,
        purpose: String? = nil, target: AccessLogEntry.Target? = nil, fields: [String: [String]]? = nil, code: String? = nil
    ) -> AccessLogEntry {
        let actor = Self.actor(context)
        return AccessLogEntry(
            actor: actor.id, actorKind: actor.kind, action: action, decision: decision, clause: clause, purpose: purpose, target: target,
            fields: fields, code: code, policyHash: policyHash, requestId: context.id
        )
    }

    /// Makes `entry` durable; a failure becomes a 503 and the caller releases nothing.
    func record(_ entry: AccessLogEntry) async throws {
        do {
            _ = try await sequencer.append(entry)
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

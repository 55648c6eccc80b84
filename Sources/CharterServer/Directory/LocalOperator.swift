import CharterCore
import Foundation

/// The person at the hub's console: administrative changes made through the CLI (groups, members,
/// revocations, the demo seed) are logged in their name, `local:<user>`, like any other decision.
public struct LocalOperator: Sendable {
    public let actor: String
    public let policyHash: String

    public init(user: String = ProcessInfo.processInfo.environment["USER"] ?? "unknown", policyHash: String) {
        self.actor = "local:\(user)"
        self.policyHash = policyHash
    }

    /// An administrative action on `target`, allowed unless `decision` says otherwise.
    public func entry(
        _ action: String, decision: AccessLogEntry.Decision = .allow, clause: String? = nil, target: AccessLogEntry.Target? = nil,
        fields: [String: [String]]? = nil, code: String? = nil
    ) -> AccessLogEntry {
        AccessLogEntry(
            actor: actor, actorKind: MemberKind.operator.rawValue, action: action, decision: decision, clause: clause, target: target,
            fields: fields, code: code, policyHash: policyHash, requestId: "cli-" + UUID().uuidString.lowercased()
        )
    }
}

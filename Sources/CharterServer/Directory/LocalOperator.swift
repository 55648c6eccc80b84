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

    /// An allowed administrative action on `target`.
    public func entry(_ action: String, target: AccessLogEntry.Target? = nil, fields: [String: [String]]? = nil) -> AccessLogEntry {
        AccessLogEntry(
            actor: actor, actorKind: MemberKind.operator.rawValue, action: action, decision: .allow, target: target,
            fields: fields, policyHash: policyHash, requestId: "cli-" + UUID().uuidString.lowercased()
        )
    }
}

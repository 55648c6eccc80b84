import Foundation

/// One decision of the hub, as the access log records it: who did what to which data, whether the
/// charter allowed it and under which clause, and which fields were released.
///
/// Entries hold identifiers and field *names* only: never customer names, emails, phone numbers or
/// free text. The leaf bytes are the entry's canonical JSON (sorted keys, no insignificant whitespace),
/// so an auditor can re-derive them. The format is documented in `docs/access-log.md`.
public struct AccessLogEntry: Codable, Sendable, Hashable {
    /// Whether the charter allowed the action.
    public enum Decision: String, Codable, Sendable, Hashable {
        case allow, deny
    }

    /// What the action touched.
    public struct Target: Codable, Sendable, Hashable {
        public var vin: String?
        public var recordIds: [String]?
        public var dealer: String?

        public init(vin: String? = nil, recordIds: [String]? = nil, dealer: String? = nil) {
            self.vin = vin
            self.recordIds = recordIds
            self.dealer = dealer
        }
    }

    /// RFC 3339 UTC time of the decision.
    public var time: String
    /// The member id (certificate CN) that acted; for an unidentified peer, what its certificate claimed.
    public var actor: String
    public var actorKind: String
    /// e.g. `record.create`, `record.batch`, `record.read`, `vehicle.history`, `member.revoke`.
    public var action: String
    public var decision: Decision
    /// The clause the decision rests on, for rule-driven decisions.
    public var clause: String?
    /// The declared purpose, when one was given.
    public var purpose: String?
    public var target: Target?
    /// Field names released, per relation (`{"cross_group": ["id", …]}`).
    public var fields: [String: [String]]?
    /// The error code of a refusal.
    public var code: String?
    /// SHA-256 of the policy in force.
    public var policyHash: String
    public var requestId: String

    public init(
        time: Date = Date(), actor: String, actorKind: String, action: String, decision: Decision, clause: String? = nil,
        purpose: String? = nil, target: Target? = nil, fields: [String: [String]]? = nil, code: String? = nil,
        policyHash: String, requestId: String
    ) {
        self.time = Timestamp.string(time)
        self.actor = actor
        self.actorKind = actorKind
        self.action = action
        self.decision = decision
        self.clause = clause
        self.purpose = purpose
        self.target = target
        self.fields = fields
        self.code = code
        self.policyHash = policyHash
        self.requestId = requestId
    }

    /// The leaf bytes: canonical JSON.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings, string arrays and dictionaries of them: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Parses leaf bytes, requiring them to be exactly the canonical form of what they hold.
    public static func parseCanonical(_ leaf: Data) throws(CharterError) -> AccessLogEntry {
        let entry: AccessLogEntry
        do {
            entry = try JSONDecoder().decode(AccessLogEntry.self, from: leaf)
        } catch {
            throw CharterError(.invalidJSON, "the entry is not a valid access-log entry: \(error)")
        }
        guard entry.canonicalJSON() == leaf else {
            throw CharterError(.invalidRecord, "the entry is not in canonical form (sorted keys, no whitespace)")
        }
        return entry
    }
}

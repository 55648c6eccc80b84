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
        /// An extraction job (C4).
        public var extraction: String?
        /// A dealership's ownership group after a sale transition (the buyer's after a takeover).
        public var group: String?
        /// A dealership's sale status after a sale transition (C6–C8).
        public var saleStatus: String?
        /// The network member that receives a sold dealership's records (C7).
        public var custodian: String?
        /// How many records a transfer covered (C7).
        public var recordCount: Int?

        public init(
            vin: String? = nil, recordIds: [String]? = nil, dealer: String? = nil, extraction: String? = nil, group: String? = nil,
            saleStatus: String? = nil, custodian: String? = nil, recordCount: Int? = nil
        ) {
            self.vin = vin
            self.recordIds = recordIds
            self.dealer = dealer
            self.extraction = extraction
            self.group = group
            self.saleStatus = saleStatus
            self.custodian = custodian
            self.recordCount = recordCount
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
    /// The purpose the request worked under: the declared one, or the caller's default (C5).
    public var purpose: String?
    /// The dealership in whose name the brand acted (`Charter-On-Behalf-Of`, C5).
    public var onBehalfOf: String?
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
        purpose: String? = nil, onBehalfOf: String? = nil, target: Target? = nil, fields: [String: [String]]? = nil, code: String? = nil,
        policyHash: String, requestId: String
    ) {
        self.time = Timestamp.string(time)
        self.actor = actor
        self.actorKind = actorKind
        self.action = action
        self.decision = decision
        self.clause = clause
        self.purpose = purpose
        self.onBehalfOf = onBehalfOf
        self.target = target
        self.fields = fields
        self.code = code
        self.policyHash = policyHash
        self.requestId = requestId
    }

    /// The leaf bytes: canonical JSON (see `CanonicalJSON`).
    public func canonicalJSON() -> Data {
        Data(CanonicalJSON.serialize(jsonValue))
    }

    /// The entry as a JSON value; absent optionals are absent members, never `null`.
    var jsonValue: CanonicalJSON.Value {
        var members: [(key: String, value: CanonicalJSON.Value)] = [
            ("time", .string(time)), ("actor", .string(actor)), ("actorKind", .string(actorKind)), ("action", .string(action)),
            ("decision", .string(decision.rawValue)), ("policyHash", .string(policyHash)), ("requestId", .string(requestId)),
        ]
        for (key, value) in [("clause", clause), ("purpose", purpose), ("onBehalfOf", onBehalfOf), ("code", code)] {
            if let value { members.append((key, .string(value))) }
        }
        if let target {
            var targetMembers: [(key: String, value: CanonicalJSON.Value)] = []
            if let vin = target.vin { targetMembers.append(("vin", .string(vin))) }
            if let ids = target.recordIds { targetMembers.append(("recordIds", .array(ids.map(CanonicalJSON.Value.string)))) }
            if let dealer = target.dealer { targetMembers.append(("dealer", .string(dealer))) }
            if let extraction = target.extraction { targetMembers.append(("extraction", .string(extraction))) }
            for (key, value) in [("group", target.group), ("saleStatus", target.saleStatus), ("custodian", target.custodian)] {
                if let value { targetMembers.append((key, .string(value))) }
            }
            if let count = target.recordCount { targetMembers.append(("recordCount", .integer(count))) }
            members.append(("target", .object(targetMembers)))
        }
        if let fields {
            members.append(("fields", .object(fields.map { ($0.key, .array($0.value.map(CanonicalJSON.Value.string))) })))
        }
        return .object(members)
    }

    /// Parses leaf bytes, requiring them to be exactly the canonical form of a valid entry.
    public static func parseCanonical(_ leaf: Data) throws(CharterError) -> AccessLogEntry {
        // One copy into an array: comparing through `Data`'s generic collection API costs more than parsing.
        let bytes = [UInt8](leaf)
        let value: CanonicalJSON.Value
        do {
            value = try CanonicalJSON.parse(bytes)
        } catch {
            throw CharterError(.invalidJSON, "the entry is not JSON: \(error)")
        }
        guard CanonicalJSON.serialize(value) == bytes else {
            throw CharterError(.invalidRecord, "the entry is not in canonical form (sorted keys, no whitespace, minimal escapes)")
        }
        return try AccessLogEntry(value)
    }

    static let memberNames: Set<String> = [
        "time", "actor", "actorKind", "action", "decision", "clause", "purpose", "onBehalfOf", "target", "fields", "code", "policyHash",
        "requestId",
    ]

    /// Reads an entry from a parsed value, refusing unknown members and wrong types.
    init(_ value: CanonicalJSON.Value) throws(CharterError) {
        guard case .object(let members) = value else { throw .invalid("entry", "an entry is a JSON object") }
        if let unknown = members.first(where: { !Self.memberNames.contains($0.key) }) {
            throw .invalid(unknown.key, "'\(unknown.key)' is not a member of an entry")
        }
        // Canonical bytes list members in strictly increasing order, so a repeated name sits next to its twin.
        for (previous, next) in zip(members, members.dropFirst()) where previous.key == next.key {
            throw .invalid(next.key, "an entry names '\(next.key)' twice")
        }
        func string(_ key: String, required: Bool = true) throws(CharterError) -> String? {
            switch value[key] {
            case .string(let text)?: return text
            case nil where !required: return nil
            default: throw .invalid(key, "'\(key)' must be a string")
            }
        }
        func strings(_ value: CanonicalJSON.Value, _ key: String) throws(CharterError) -> [String] {
            guard case .array(let elements) = value else { throw .invalid(key, "'\(key)' must be an array of strings") }
            var texts: [String] = []
            for element in elements {
                guard case .string(let text) = element else { throw .invalid(key, "'\(key)' must be an array of strings") }
                texts.append(text)
            }
            return texts
        }
        guard let decision = Decision(rawValue: try string("decision") ?? "") else { throw .invalid("decision", "decision is allow or deny") }
        self.time = try string("time") ?? ""
        self.actor = try string("actor") ?? ""
        self.actorKind = try string("actorKind") ?? ""
        self.action = try string("action") ?? ""
        self.decision = decision
        self.clause = try string("clause", required: false)
        self.purpose = try string("purpose", required: false)
        self.onBehalfOf = try string("onBehalfOf", required: false)
        self.code = try string("code", required: false)
        self.policyHash = try string("policyHash") ?? ""
        self.requestId = try string("requestId") ?? ""
        switch value["target"] {
        case nil:
            self.target = nil
        case .object(let targetMembers)?:
            var target = Target()
            for member in targetMembers {
                switch (member.key, member.value) {
                case ("vin", .string(let vin)): target.vin = vin
                case ("dealer", .string(let dealer)): target.dealer = dealer
                case ("extraction", .string(let extraction)): target.extraction = extraction
                case ("group", .string(let group)): target.group = group
                case ("saleStatus", .string(let status)): target.saleStatus = status
                case ("custodian", .string(let custodian)): target.custodian = custodian
                case ("recordCount", .integer(let count)): target.recordCount = count
                case ("recordIds", let ids): target.recordIds = try strings(ids, "target.recordIds")
                default: throw .invalid("target.\(member.key)", "'target.\(member.key)' is not a member of a target, or has the wrong type")
                }
            }
            self.target = target
        default:
            throw .invalid("target", "'target' must be an object")
        }
        switch value["fields"] {
        case nil:
            self.fields = nil
        case .object(let relations)?:
            var fields: [String: [String]] = [:]
            for relation in relations { fields[relation.key] = try strings(relation.value, "fields.\(relation.key)") }
            self.fields = fields
        default:
            throw .invalid("fields", "'fields' must be an object")
        }
    }
}

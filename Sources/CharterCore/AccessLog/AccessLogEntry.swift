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
        self.init(
            timestamp: Timestamp.string(time), actor: actor, actorKind: actorKind, action: action, decision: decision, clause: clause,
            purpose: purpose, onBehalfOf: onBehalfOf, target: target, fields: fields, code: code, policyHash: policyHash, requestId: requestId
        )
    }

    /// Every member as the leaf holds it, the time already written.
    private init(
        timestamp: String, actor: String, actorKind: String, action: String, decision: Decision, clause: String?,
        purpose: String?, onBehalfOf: String?, target: Target?, fields: [String: [String]]?, code: String?,
        policyHash: String, requestId: String
    ) {
        self.time = timestamp
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
        Data(canonicalBytes())
    }

    /// Written member by member in canonical order (names' UTF-8 bytes ascending), without building a
    /// JSON tree: every logged request pays for it. Absent optionals are absent members, never `null`.
    /// A property test holds the bytes to `CanonicalJSON.serialize` of the same entry.
    func canonicalBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        var entry = CanonicalJSON.ObjectWriter()
        entry.member("action", action, into: &out)
        entry.member("actor", actor, into: &out)
        entry.member("actorKind", actorKind, into: &out)
        entry.member("clause", clause, into: &out)
        entry.member("code", code, into: &out)
        entry.member("decision", decision.rawValue, into: &out)
        if let fields {
            entry.key("fields", into: &out)
            var relations = CanonicalJSON.ObjectWriter()
            if fields.count == 1, let only = fields.first {
                // The usual release names one relation: no sort, no array of keys.
                relations.member(only.key, only.value, into: &out)
            } else {
                for relation in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    relations.member(relation, fields[relation], into: &out)
                }
            }
            relations.close(into: &out)
        }
        entry.member("onBehalfOf", onBehalfOf, into: &out)
        entry.member("policyHash", policyHash, into: &out)
        entry.member("purpose", purpose, into: &out)
        entry.member("requestId", requestId, into: &out)
        if let target {
            entry.key("target", into: &out)
            var members = CanonicalJSON.ObjectWriter()
            members.member("custodian", target.custodian, into: &out)
            members.member("dealer", target.dealer, into: &out)
            members.member("extraction", target.extraction, into: &out)
            members.member("group", target.group, into: &out)
            if let count = target.recordCount {
                members.key("recordCount", into: &out)
                out += String(count).utf8
            }
            members.member("recordIds", target.recordIds, into: &out)
            members.member("saleStatus", target.saleStatus, into: &out)
            members.member("vin", target.vin, into: &out)
            members.close(into: &out)
        }
        entry.member("time", time, into: &out)
        entry.close(into: &out)
        return out
    }

    /// Parses leaf bytes, requiring them to be exactly the canonical form of a valid entry: the bytes are
    /// read as an entry, and writing that entry again must give the same bytes. So one writer defines
    /// canonical form, for appending and for checking, and the check builds no JSON tree.
    public static func parseCanonical(_ leaf: Data) throws(CharterError) -> AccessLogEntry {
        // One copy into an array: comparing through `Data`'s generic collection API costs more than parsing.
        try parseCanonical([UInt8](leaf))
    }

    /// `parseCanonical` of leaf bytes already in an array, as offline verification reads them.
    public static func parseCanonical(_ bytes: [UInt8]) throws(CharterError) -> AccessLogEntry {
        // `withUnsafeBytes` rethrows untyped errors; the result carries the typed one out.
        let entry = try bytes.withUnsafeBytes { raw in Result { () throws(CharterError) in
            var scanner = JSONScanner(raw, task: "the entry is not JSON", code: .invalidJSON)
            return try AccessLogEntry(reading: &scanner)
        } }.get()
        guard entry.canonicalBytes() == bytes else {
            throw CharterError(.invalidRecord, "the entry is not in canonical form (sorted keys, no whitespace, minimal escapes)")
        }
        return entry
    }

    /// Reads a whole leaf as an entry, refusing bytes that are not JSON first, then unknown members, wrong
    /// types and missing ones. A repeated member is left to `parseCanonical`'s comparison: the writer
    /// writes each member once.
    private init(reading scanner: inout JSONScanner) throws(CharterError) {
        var time, actor, actorKind, action, decision, clause, purpose, onBehalfOf, code, policyHash, requestId: String?
        var target: Target?
        var fields: [String: [String]]?
        try scanner.forEachMember { scanner, key throws(CharterError) in
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[key]), as: UTF8.self)
            switch name {
            case "action": action = try scanner.text(at: name)
            case "actor": actor = try scanner.text(at: name)
            case "actorKind": actorKind = try scanner.text(at: name)
            case "clause": clause = try scanner.text(at: name)
            case "code": code = try scanner.text(at: name)
            case "decision": decision = try scanner.text(at: name)
            case "fields": fields = try Self.fields(reading: &scanner)
            case "onBehalfOf": onBehalfOf = try scanner.text(at: name)
            case "policyHash": policyHash = try scanner.text(at: name)
            case "purpose": purpose = try scanner.text(at: name)
            case "requestId": requestId = try scanner.text(at: name)
            case "target": target = try Target(reading: &scanner)
            case "time": time = try scanner.text(at: name)
            default: throw .invalid(name, "'\(name)' is not a member of an entry")
            }
        }
        try scanner.requireEnd()
        func required(_ value: String?, _ name: String) throws(CharterError) -> String {
            guard let value else { throw .invalid(name, "an entry must have '\(name)'") }
            return value
        }
        func decided(_ text: String?) throws(CharterError) -> Decision {
            guard let decision = Decision(rawValue: try required(text, "decision")) else { throw .invalid("decision", "decision is allow or deny") }
            return decision
        }
        // Arguments are evaluated in order, so a missing member is named in the order the format lists them.
        try self.init(
            timestamp: required(time, "time"), actor: required(actor, "actor"), actorKind: required(actorKind, "actorKind"),
            action: required(action, "action"), decision: decided(decision), clause: clause, purpose: purpose, onBehalfOf: onBehalfOf,
            target: target, fields: fields, code: code, policyHash: required(policyHash, "policyHash"), requestId: required(requestId, "requestId")
        )
    }

    /// The array of strings at the scanner.
    fileprivate static func texts(_ path: @autoclosure () -> String, _ scanner: inout JSONScanner) throws(CharterError) -> [String] {
        guard scanner.peek() == UInt8(ascii: "[") else { throw JSONScanner.mismatch(at: path(), "an array of strings") }
        var texts: [String] = []
        // Field lists and record ids are short; growing from empty would reallocate three times for five names.
        texts.reserveCapacity(8)
        try scanner.forEachElement { scanner throws(CharterError) in
            texts.append(try scanner.text(at: "\(path())[\(texts.count)]"))
        }
        return texts
    }

    /// The field names released, per relation.
    private static func fields(reading scanner: inout JSONScanner) throws(CharterError) -> [String: [String]] {
        guard scanner.peek() == UInt8(ascii: "{") else { throw JSONScanner.mismatch(at: "fields", "an object") }
        var fields: [String: [String]] = [:]
        try scanner.forEachMember { scanner, key throws(CharterError) in
            let relation = try scanner.text(of: key)
            fields[relation] = try texts("fields.\(relation)", &scanner)
        }
        return fields
    }
}

extension AccessLogEntry {
    /// What the log stores beside each leaf, in columns of their own, for auditors' filtered queries
    /// (`GET /v1/audit/entries?actor=…`). They are not hashed into the tree: offline verification checks
    /// that each says what the entry says, or a filtered query could miss an entry the tree still proves.
    public struct QueryColumns: Sendable, Hashable {
        public let time: String
        public let actor: String
        public let action: String
        public let decision: String
        public let vin: String?
        public let dealer: String?

        public init(time: String, actor: String, action: String, decision: String, vin: String?, dealer: String?) {
            (self.time, self.actor, self.action, self.decision, self.vin, self.dealer) = (time, actor, action, decision, vin, dealer)
        }

        /// What the log's term index must hold for the entry: its actor, and its dealer and VIN when it
        /// names them, nothing more.
        public var indexedTerms: IndexedTerms {
            IndexedTerms(actor: IndexedTerms.key(actor), dealer: dealer.map(IndexedTerms.key), vin: vin.map(IndexedTerms.key))
        }

        /// The names of the columns that differ from `other`'s, in table order.
        public func differences(from other: QueryColumns) -> [String] {
            [("time", time == other.time), ("actor", actor == other.actor), ("action", action == other.action), ("decision", decision == other.decision),
             ("vin", vin == other.vin), ("dealer", dealer == other.dealer)].filter { !$0.1 }.map(\.0)
        }
    }

    /// The entry's query columns, as the log writes them.
    public var queryColumns: QueryColumns {
        QueryColumns(time: time, actor: actor, action: action, decision: decision.rawValue, vin: target?.vin, dealer: target?.dealer)
    }
}

extension AccessLogEntry.Target {
    /// Reads a target's members, refusing members it does not know and wrong types.
    fileprivate init(reading scanner: inout JSONScanner) throws(CharterError) {
        guard scanner.peek() == UInt8(ascii: "{") else { throw JSONScanner.mismatch(at: "target", "an object") }
        var target = Self()
        try scanner.forEachMember { scanner, key throws(CharterError) in
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[key]), as: UTF8.self)
            switch name {
            case "custodian": target.custodian = try scanner.text(at: "target.\(name)")
            case "dealer": target.dealer = try scanner.text(at: "target.\(name)")
            case "extraction": target.extraction = try scanner.text(at: "target.\(name)")
            case "group": target.group = try scanner.text(at: "target.\(name)")
            case "recordCount": target.recordCount = try scanner.integer(at: "target.recordCount")
            case "recordIds": target.recordIds = try AccessLogEntry.texts("target.\(name)", &scanner)
            case "saleStatus": target.saleStatus = try scanner.text(at: "target.\(name)")
            case "vin": target.vin = try scanner.text(at: "target.\(name)")
            default: throw .invalid("target.\(name)", "'target.\(name)' is not a member of a target")
            }
        }
        self = target
    }
}

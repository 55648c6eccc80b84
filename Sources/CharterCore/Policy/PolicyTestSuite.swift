import Foundation
import Yams

/// The policy's own test cases (`policies/tests/*.yaml`), run by `charterhub policy test` like `opa test`:
/// each case states a situation and the decision the charter must give in it.
///
/// A case either reads a record under a relation (given directly, or derived from a `caller` and an
/// `owner`) and expects a decision, clause and exact field set, or sends a `record` for ingest and
/// expects it accepted or refused with a code, clause and field. The format is in `docs/policy.md`.
public struct PolicyTestSuite: Sendable {
    /// One case and how it went.
    public struct Outcome: Sendable, Hashable {
        public let file: String
        public let name: String
        /// Nil when the case passed; otherwise what differed.
        public let failure: String?
        public var passed: Bool { failure == nil }
    }

    public let policy: CharterPolicy

    public init(policy: CharterPolicy) {
        self.policy = policy
    }

    /// Runs every `*.yaml` file of `directory`, in name order.
    public func run(directory: String, today: CalendarDate = .latestToday()) throws(PolicyError) -> [Outcome] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        guard !files.isEmpty else { throw PolicyError(file: directory, line: nil, message: "no policy test files (*.yaml)") }
        var outcomes: [Outcome] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw PolicyError(file: path, line: nil, message: "cannot read the test file")
            }
            outcomes += try run(text, file: path, today: today)
        }
        return outcomes
    }

    /// Runs the cases of one test file.
    public func run(_ source: String, file: String, today: CalendarDate = .latestToday()) throws(PolicyError) -> [Outcome] {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: source) else { throw PolicyError(file: file, line: nil, message: "the test file is empty") }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        let top = PolicyNode(node: root, file: file, path: "")
        let cases = try top.required("cases", in: top.mapping(allowed: ["cases"])).sequence()
        var outcomes: [Outcome] = []
        for item in cases {
            let members = try item.mapping(allowed: ["name", "relation", "caller", "owner", "to", "use", "purpose", "onBehalfOf", "consent", "record", "expect"])
            let name = try item.required("name", in: members).string()
            let expect = try item.required("expect", in: members)
            let failure: String?
            if let record = members.first(where: { $0.key == "record" })?.value {
                failure = try checkIngest(record, expect: expect, today: today)
            } else {
                failure = try checkRead(item, members, expect: expect)
            }
            outcomes.append(Outcome(file: file, name: name, failure: failure))
        }
        return outcomes
    }

    private func checkRead(_ item: PolicyNode, _ members: [(key: String, value: PolicyNode)], expect: PolicyNode) throws(PolicyError) -> String? {
        var consent: Consent?
        if let node = members.first(where: { $0.key == "consent" })?.value {
            let answers = try node.mapping(allowed: ["shareWithinGroup", "marketing"])
            consent = Consent(
                shareWithinGroup: try node.required("shareWithinGroup", in: answers).bool(),
                marketing: try node.required("marketing", in: answers).bool()
            )
        }
        let decision: Decision
        if let node = members.first(where: { $0.key == "relation" })?.value {
            let relation = try node.choice(Relation.self, "relation")
            let purpose = try purpose(item, members, kind: nil)
            decision = Decision(FieldFilter(policy: policy).decide(relation, consent: consent, purpose: purpose))
        } else {
            decision = try situation(item, members, consent: consent)
        }
        let expected = try expect.mapping(allowed: ["decision", "relation", "clause", "fields"])
        var problems: [String] = []
        let wantDecision = try expect.required("decision", in: expected).string()
        if wantDecision != (decision.allowed ? "allow" : "deny") {
            problems.append("expected \(wantDecision), got \(decision.allowed ? "allow" : "deny")\(decision.reason.map { " (\($0))" } ?? "")")
        }
        if let node = expected.first(where: { $0.key == "fields" })?.value {
            let want = try node.strings().sorted()
            let got = (decision.fields ?? []).fields.map(\.rawValue).sorted()
            if want != got { problems.append("expected fields \(want), got \(got)") }
        }
        if let want = try expected.first(where: { $0.key == "relation" })?.value.string(), want != decision.relation?.rawValue {
            problems.append("expected relation \(want), got \(decision.relation?.rawValue ?? "none")")
        }
        if let want = try expected.first(where: { $0.key == "clause" })?.value.string(), want != decision.clause {
            problems.append("expected clause \(want), got \(decision.clause ?? "none")")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// What a case's situation comes to, whichever rule decided it.
    private struct Decision {
        var allowed: Bool
        var clause: String?
        var relation: Relation?
        var fields: FieldSet?
        var reason: String?

        init(allowed: Bool, clause: String?, relation: Relation? = nil, fields: FieldSet? = nil, reason: String? = nil) {
            self.allowed = allowed
            self.clause = clause
            self.relation = relation
            self.fields = fields
            self.reason = reason
        }

        init(_ decision: AccessDecision) {
            switch decision {
            case .allow(let relation, let fields, let clause): self.init(allowed: true, clause: clause, relation: relation, fields: fields)
            case .deny(let relation, let clause, let reason): self.init(allowed: false, clause: clause, relation: relation, reason: reason)
            }
        }

        init(_ decision: UseDecision) {
            switch decision {
            case .allow: self.init(allowed: true, clause: nil)
            case .deny(let clause, let reason): self.init(allowed: false, clause: clause, reason: reason)
            }
        }
    }

    /// A `caller` making a `use` (default `read`) of an `owner`'s data under a `purpose`, through the same
    /// rules as the hub: the purpose gate (C5, C6, C8), then the field filter, the extraction rule (C4) or
    /// the transfer rule (C7, towards `to`).
    private func situation(_ item: PolicyNode, _ members: [(key: String, value: PolicyNode)], consent: Consent?) throws(PolicyError) -> Decision {
        let caller = try member(item.required("caller", in: members), kind: nil)
        let owner = try member(item.required("owner", in: members), kind: .dealer)
        let use = try members.first { $0.key == "use" }?.value.choice(PurposeUse.self, "use") ?? .read
        let purpose = try purpose(item, members, kind: caller.member.kind)
        let onBehalfOf = try members.first { $0.key == "onBehalfOf" }?.value.string()
        let gate = PurposeGate(policy: policy).decide(use, by: caller.member, purpose: purpose, onBehalfOf: onBehalfOf, touching: [owner.member])
        guard case .allow = gate else { return Decision(gate) }
        switch use {
        case .read:
            let relation = FieldFilter.relation(of: caller.member, toOwner: owner.member.id, ownerGroup: owner.member.group, custodian: owner.custodian)
            return Decision(FieldFilter(policy: policy).decide(relation, consent: consent, purpose: purpose))
        case .write:
            let entering = caller.member.kind == .dealer && caller.member.id == owner.member.id
            return Decision(allowed: entering, clause: "C1", reason: entering ? nil : "only the entering dealership writes its records")
        case .extraction:
            return Decision(ExtractionRule.decide(requester: caller.member, dealerID: owner.member.id, dealer: owner.member))
        case .transfer:
            let to = try member(item.required("to", in: members), kind: .dealer)
            switch CustodyTransfer.decide(fromID: owner.member.id, toID: to.member.id, from: owner.member, to: to.member, existing: nil) {
            case .allow, .replay: return Decision(allowed: true, clause: CustodyTransfer.clause)
            case .refuse(.deny(_, let reason)): return Decision(allowed: false, clause: CustodyTransfer.clause, reason: reason)
            case .refuse(.conflict): return Decision(allowed: false, clause: CustodyTransfer.clause)
            }
        }
    }

    /// A member of a case: `{id, kind?, group?, status?, custodian?}`, where `status` is the sale status.
    private func member(_ node: PolicyNode, kind fixed: MemberKind?) throws(PolicyError) -> (member: Member, custodian: String?) {
        let fields = try node.mapping(allowed: ["id", "kind", "group", "status", "custodian"])
        let kindNode = fields.first { $0.key == "kind" }?.value
        guard kindNode != nil || fixed != nil else { throw node.error("the caller needs a kind") }
        let kind = try kindNode?.choice(MemberKind.self, "kind") ?? fixed ?? .dealer
        let status = try fields.first { $0.key == "status" }?.value.choice(SaleStatus.self, "status") ?? .active
        let member = Member(
            id: try node.required("id", in: fields).string(), kind: kind, group: try fields.first { $0.key == "group" }?.value.string(),
            name: "test", saleStatus: status
        )
        return (member, try fields.first { $0.key == "custodian" }?.value.string())
    }

    /// The case's `purpose`, else the default of `kind` (none when the case gives a relation directly).
    private func purpose(_ item: PolicyNode, _ members: [(key: String, value: PolicyNode)], kind: MemberKind?) throws(PolicyError) -> PurposeRule? {
        let node = members.first { $0.key == "purpose" }?.value
        let declared = try node?.string()
        guard let kind else {
            guard let declared else { return nil }
            guard let purpose = policy.purposes[declared] else { throw (node ?? item).error("'\(declared)' is not a purpose of the policy") }
            return purpose
        }
        do {
            return try policy.purpose(declared: declared, by: kind)
        } catch {
            throw (node ?? item).error(error.message)
        }
    }

    private func checkIngest(_ record: PolicyNode, expect: PolicyNode, today: CalendarDate) throws(PolicyError) -> String? {
        let json: Data
        do {
            let value = try Yams.load(yaml: Yams.serialize(node: record.node))
            json = try JSONSerialization.data(withJSONObject: value as Any, options: [.fragmentsAllowed])
        } catch {
            throw record.error("the record cannot be turned into JSON: \(error)")
        }
        let expected = try expect.mapping(allowed: ["decision", "code", "clause", "field"])
        let wantDecision = try expect.required("decision", in: expected).string()
        let wantCode = try expected.first { $0.key == "code" }?.value.string()
        let wantClause = try expected.first { $0.key == "clause" }?.value.string()
        let wantField = try expected.first { $0.key == "field" }?.value.string()
        do {
            _ = try RecordDecoder(policy: policy).decode(json, today: today)
            return wantDecision == "allow" ? nil : "expected the record to be refused, it was accepted"
        } catch {
            guard wantDecision == "deny" else { return "expected the record to be accepted, it was refused: \(error)" }
            var problems: [String] = []
            if let wantCode, wantCode != error.code.rawValue { problems.append("expected code \(wantCode), got \(error.code.rawValue)") }
            if let wantClause, wantClause != error.clause { problems.append("expected clause \(wantClause), got \(error.clause ?? "none")") }
            if let wantField, wantField != error.field { problems.append("expected field \(wantField), got \(error.field ?? "none")") }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        }
    }
}

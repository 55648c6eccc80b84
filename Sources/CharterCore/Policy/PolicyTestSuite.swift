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
            let members = try item.mapping(allowed: ["name", "relation", "caller", "owner", "consent", "record", "expect"])
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
        let relation: Relation
        if let node = members.first(where: { $0.key == "relation" })?.value {
            guard let value = Relation(rawValue: try node.string()) else { throw node.error("unknown relation") }
            relation = value
        } else {
            let callerNode = try item.required("caller", in: members)
            let caller = try callerNode.mapping(allowed: ["id", "kind", "group"])
            guard let kind = MemberKind(rawValue: try callerNode.required("kind", in: caller).string()) else {
                throw callerNode.error("kind must be one of \(MemberKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let ownerNode = try item.required("owner", in: members)
            let owner = try ownerNode.mapping(allowed: ["id", "group"])
            let member = Member(
                id: try callerNode.required("id", in: caller).string(), kind: kind,
                group: try caller.first { $0.key == "group" }?.value.string(), name: "test"
            )
            relation = FieldFilter.relation(
                of: member, toOwner: try ownerNode.required("id", in: owner).string(),
                ownerGroup: try owner.first { $0.key == "group" }?.value.string()
            )
        }
        var consent: Consent?
        if let node = members.first(where: { $0.key == "consent" })?.value {
            let answers = try node.mapping(allowed: ["shareWithinGroup", "marketing"])
            consent = Consent(
                shareWithinGroup: try node.required("shareWithinGroup", in: answers).bool(),
                marketing: try node.required("marketing", in: answers).bool()
            )
        }
        let decision = FieldFilter(policy: policy).decide(relation, consent: consent)
        let expected = try expect.mapping(allowed: ["decision", "relation", "clause", "fields"])
        var problems: [String] = []
        let wantDecision = try expect.required("decision", in: expected).string()
        switch decision {
        case .allow(_, let fields, _):
            if wantDecision != "allow" { problems.append("expected \(wantDecision), got allow") }
            if let node = expected.first(where: { $0.key == "fields" })?.value {
                let want = try node.strings().sorted()
                let got = fields.fields.map(\.rawValue).sorted()
                if want != got { problems.append("expected fields \(want), got \(got)") }
            }
        case .deny:
            if wantDecision != "deny" { problems.append("expected \(wantDecision), got deny") }
        }
        if let want = try expected.first(where: { $0.key == "relation" })?.value.string(), want != decision.relation.rawValue {
            problems.append("expected relation \(want), got \(decision.relation.rawValue)")
        }
        if let want = try expected.first(where: { $0.key == "clause" })?.value.string(), want != decision.clause {
            problems.append("expected clause \(want), got \(decision.clause)")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
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

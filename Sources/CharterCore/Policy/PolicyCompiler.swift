import Crypto
import Foundation
import Yams

/// Compiles `policies/charter.yaml` into a `CharterPolicy`. Every check that can be made once is made
/// here, so that a bad policy stops the hub at start-up with its file and line, and the request path
/// only looks things up. The format is documented in `docs/policy.md`.
public enum PolicyCompiler {
    /// The policy file inside a policy directory.
    public static let fileName = "charter.yaml"

    /// Reads and compiles `<directory>/charter.yaml`.
    public static func load(directory: String) throws(PolicyError) -> CharterPolicy {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(file: path, line: nil, message: "cannot read the policy file")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: path, line: nil, message: "the policy file is not UTF-8")
        }
        return try compile(source, file: path)
    }

    /// Compiles policy text; `file` only names the source in errors.
    public static func compile(_ source: String, file: String = fileName) throws(PolicyError) -> CharterPolicy {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: source) else {
                throw PolicyError(file: file, line: nil, message: "the policy file is empty")
            }
            node = composed
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw PolicyError(file: file, line: Self.line(of: error), message: "not valid YAML: \(Self.problem(of: error))")
        } catch {
            throw PolicyError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        let root = PolicyNode(node: node, file: file, path: "")
        let top = try root.mapping(allowed: ["version", "catalog", "operationTypes", "relations", "purposes", "sales", "forbiddenData"])
        let version = try root.required("version", in: top)
        guard try version.int() == 1 else { throw version.error("only policy version 1 is understood") }

        let catalog = try compileCatalog(root.required("catalog", in: top))
        let operationTypes = try compileOperationTypes(root.required("operationTypes", in: top))
        let relations = try compileRelations(root.required("relations", in: top))
        let rules = Relation.allCases.compactMap { relations[$0] }
        let (purposes, defaults) = try compilePurposes(root.required("purposes", in: top), base: rules)
        let sales = try compileSales(root.required("sales", in: top), purposes: purposes)
        let forbidden = try compileForbiddenData(root.required("forbiddenData", in: top))
        for field in RecordField.allCases where forbidden.fieldNames.contains(TextNormalizer.name(field.rawValue)) {
            throw root.error("catalog field '\(field.rawValue)' is also listed as forbidden data")
        }
        let hash = Hex.string(SHA256.hash(data: Data(source.utf8)))
        return CharterPolicy(
            hash: hash, catalog: catalog, operationTypes: operationTypes, rules: rules, forbiddenData: forbidden, purposes: purposes,
            defaultPurposes: defaults, sales: sales
        )
    }

    private static func compileCatalog(_ node: PolicyNode) throws(PolicyError) -> [RecordField: CharterPolicy.FieldDescription] {
        var catalog: [RecordField: CharterPolicy.FieldDescription] = [:]
        for (name, entry) in try node.mapping() {
            let field = try entry.key(name, RecordField.self, "a record field")
            let members = try entry.mapping(allowed: ["about", "personal"])
            let about = try entry.required("about", in: members).string()
            let personal = try members.first { $0.key == "personal" }?.value.bool() ?? false
            catalog[field] = .init(about: about, personal: personal)
        }
        let missing = RecordField.allCases.filter { catalog[$0] == nil }
        guard missing.isEmpty else {
            throw node.error("the catalog must declare every record field; missing: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        return catalog
    }

    private static func compileOperationTypes(_ node: PolicyNode) throws(PolicyError) -> Set<String> {
        var seen = Set<String>()
        for item in try node.sequence() {
            let value = try item.string()
            guard !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) }) else {
                throw item.error("operation type '\(value)' must be lower_snake_case")
            }
            guard seen.insert(value).inserted else { throw item.error("operation type '\(value)' is listed twice") }
        }
        guard !seen.isEmpty else { throw node.error("at least one operation type is required") }
        return seen
    }

    private static func compileRelations(_ node: PolicyNode) throws(PolicyError) -> [Relation: RelationRule] {
        var rules: [Relation: RelationRule] = [:]
        for (name, entry) in try node.mapping() {
            let relation = try entry.key(name, Relation.self, "a relation")
            rules[relation] = try compileRule(relation, entry)
        }
        let missing = Relation.allCases.filter { rules[$0] == nil }
        guard missing.isEmpty else {
            throw node.error("every relation needs a rule; missing: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        return rules
    }

    /// One relation's rule; under a purpose, the clause may be left out and is then the purpose's.
    private static func compileRule(_ relation: Relation, _ node: PolicyNode, defaultClause: String? = nil) throws(PolicyError) -> RelationRule {
        let members = try node.mapping(allowed: ["clause", "fields", "consent", "deny"])
        let clause: String
        if let defaultClause, !members.contains(where: { $0.key == "clause" }) {
            clause = defaultClause
        } else {
            clause = try compileClause(node.required("clause", in: members))
        }
        let fieldsNode = members.first { $0.key == "fields" }?.value
        let denyNode = members.first { $0.key == "deny" }?.value
        switch (fieldsNode, denyNode) {
        case (nil, let deny?):
            guard !members.contains(where: { $0.key == "consent" }) else { throw node.error("a denied relation has no consent conditions") }
            return RelationRule(relation: relation, clause: clause, fields: [], denial: try deny.string())
        case (let fieldsNode?, nil):
            let fields = try compileFieldSet(fieldsNode)
            guard fields.contains(.id), fields.contains(.visibility) else {
                throw fieldsNode.error("every released view carries 'id' and 'visibility'")
            }
            var conditions: [ConsentCondition] = []
            for item in try members.first(where: { $0.key == "consent" })?.value.sequence() ?? [] {
                let condition = try item.mapping(allowed: ["field", "requires", "clause"])
                let fieldNode = try item.required("field", in: condition)
                guard let field = RecordField(rawValue: try fieldNode.string()), fields.contains(field) else {
                    throw fieldNode.error("a consent condition must name a field the relation releases")
                }
                let requiresNode = try item.required("requires", in: condition)
                let requires = try requiresNode.choice(ConsentCondition.Requirement.self, "requires")
                conditions.append(.init(field: field, requires: requires, clause: try compileClause(item.required("clause", in: condition))))
            }
            return RelationRule(relation: relation, clause: clause, fields: fields, conditions: conditions)
        case (nil, nil):
            throw node.error("a relation either lists the 'fields' it releases or gives a 'deny' reason")
        case (.some, .some):
            throw node.error("a relation cannot both release 'fields' and 'deny'")
        }
    }

    private static func compilePurposes(
        _ node: PolicyNode, base: [RelationRule]
    ) throws(PolicyError) -> (purposes: [String: PurposeRule], defaults: [MemberKind: String]) {
        var purposes: [String: PurposeRule] = [:]
        var defaults: [MemberKind: String] = [:]
        for (name, entry) in try node.mapping() {
            guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
                throw entry.error("purpose '\(name)' must be lower_snake_case, at most 64 characters")
            }
            let members = try entry.mapping(allowed: ["clause", "about", "callers", "defaultFor", "uses", "onBehalfOf", "releases", "deny"])
            let clause = try compileClause(entry.required("clause", in: members))
            let about = try entry.required("about", in: members).string()
            let callers = try compileKinds(entry.required("callers", in: members))
            guard !callers.isEmpty else { throw entry.error("purpose '\(name)' needs at least one caller kind") }
            let denial = try members.first { $0.key == "deny" }?.value.string()
            let usesNode = members.first { $0.key == "uses" }?.value
            var uses = Set<PurposeUse>()
            for item in try usesNode?.sequence() ?? [] { uses.insert(try item.choice(PurposeUse.self, "a use")) }
            switch (denial, usesNode) {
            case (nil, nil): throw entry.error("purpose '\(name)' either lists the 'uses' it covers or gives a 'deny' reason")
            case (.some, .some): throw entry.error("a refused purpose covers no uses")
            default: break
            }
            var onBehalfOf = PurposeRule.OnBehalfOf.optional
            if let node = members.first(where: { $0.key == "onBehalfOf" })?.value {
                let value = try node.choice(PurposeRule.OnBehalfOf.self, "onBehalfOf")
                guard value == .optional || callers == [.oem] else {
                    throw node.error("only the brand acts on behalf of a dealership: a purpose that requires it has callers [oem]")
                }
                onBehalfOf = value
            }
            for kindNode in try members.first(where: { $0.key == "defaultFor" })?.value.sequence() ?? [] {
                let kind = try kindNode.choice(MemberKind.self, "a member kind")
                guard callers.contains(kind) else { throw kindNode.error("defaultFor names member kinds among the purpose's callers") }
                guard kind != .oem else { throw kindNode.error("the brand has no default purpose: it always declares one (C5)") }
                guard denial == nil else { throw kindNode.error("a refused purpose cannot be a default") }
                if let other = defaults[kind] { throw kindNode.error("\(kind.rawValue) already has the default purpose '\(other)'") }
                defaults[kind] = name
            }
            var rules = base
            for (relationName, ruleNode) in try members.first(where: { $0.key == "releases" })?.value.mapping() ?? [] {
                let relation = try ruleNode.key(relationName, Relation.self, "a relation")
                guard denial == nil else { throw ruleNode.error("a refused purpose releases nothing") }
                rules[relation.index] = try compileRule(relation, ruleNode, defaultClause: clause)
            }
            purposes[name] = PurposeRule(
                name: name, clause: clause, about: about, callers: callers, uses: uses, onBehalfOf: onBehalfOf, denial: denial, rules: rules
            )
        }
        let missing = SaleRules.alwaysLocked.subtracting(purposes.keys).sorted()
        guard missing.isEmpty else {
            throw node.error("the charter refuses \(missing.joined(separator: ", ")) while a sale is pending (C8), so the policy must declare them")
        }
        return (purposes, defaults)
    }

    private static func compileKinds(_ node: PolicyNode) throws(PolicyError) -> Set<MemberKind> {
        var kinds = Set<MemberKind>()
        for item in try node.sequence() { kinds.insert(try item.choice(MemberKind.self, "a member kind")) }
        return kinds
    }

    private static func compileSales(_ node: PolicyNode, purposes: [String: PurposeRule]) throws(PolicyError) -> SaleRules {
        let members = try node.mapping(allowed: ["pending", "soldOutOfNetwork"])
        let pendingNode = try node.required("pending", in: members)
        let pending = try pendingNode.mapping(allowed: ["clause", "lockedPurposes"])
        let lockedNode = try pendingNode.required("lockedPurposes", in: pending)
        let locked = Set(try lockedNode.strings())
        for name in locked where purposes[name] == nil { throw lockedNode.error("'\(name)' is not a declared purpose") }
        let unlisted = SaleRules.alwaysLocked.subtracting(locked).sorted()
        guard unlisted.isEmpty else {
            throw lockedNode.error("the charter locks \(unlisted.joined(separator: ", ")) while a sale is pending (C8); list them")
        }
        let departedNode = try node.required("soldOutOfNetwork", in: members)
        let departed = try departedNode.mapping(allowed: ["clause", "dealerKeeps"])
        let keepsNode = try departedNode.required("dealerKeeps", in: departed)
        let keeps = Set(try keepsNode.strings())
        guard keeps == [PurposeUse.extraction.rawValue] else {
            throw keepsNode.error("a dealership sold outside the network keeps its extraction right and nothing else (C4, C6): dealerKeeps is [extraction]")
        }
        return SaleRules(
            pendingClause: try compileClause(pendingNode.required("clause", in: pending)), lockedPurposes: locked,
            departedClause: try compileClause(departedNode.required("clause", in: departed)), departedKeeps: [.extraction]
        )
    }

    private static func compileFieldSet(_ node: PolicyNode) throws(PolicyError) -> FieldSet {
        if case .scalar = node.node {
            guard try node.string() == "all" else { throw node.error("fields is 'all', a list of fields, or {allExcept: [...]}") }
            return .all
        }
        if node.isSequence { return try compileFieldList(node) }
        let members = try node.mapping(allowed: ["allExcept"])
        return FieldSet.all.subtracting(try compileFieldList(node.required("allExcept", in: members)))
    }

    private static func compileFieldList(_ node: PolicyNode) throws(PolicyError) -> FieldSet {
        var set = FieldSet()
        for item in try node.sequence() {
            let name = try item.string()
            guard let field = RecordField(rawValue: name) else { throw item.error("'\(name)' is not a field of the catalog") }
            guard set.insert(field).inserted else { throw item.error("'\(name)' is listed twice") }
        }
        return set
    }

    private static func compileClause(_ node: PolicyNode) throws(PolicyError) -> String {
        let clause = try node.string()
        let bytes = Array(clause.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "C") || bytes[0] == UInt8(ascii: "D"),
            bytes.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            throw node.error("'\(clause)' is not a charter clause id (C1–C9, D1–D4)")
        }
        return clause
    }

    private static func compileForbiddenData(_ node: PolicyNode) throws(PolicyError) -> ForbiddenDataScreen {
        let members = try node.mapping(allowed: ["clause", "fieldNames", "terms", "freeTextFields"])
        let clause = try compileClause(node.required("clause", in: members))
        let names = try node.required("fieldNames", in: members).strings()
        guard !names.isEmpty else { throw node.error("fieldNames must list at least one name") }
        let termsNode = try node.required("terms", in: members)
        let terms = try termsNode.strings()
        for (index, term) in terms.enumerated() where TextNormalizer.words(term) == " " {
            throw termsNode.child(.init(term), "[\(index)]").error("a term must hold letters or digits")
        }
        var fields = Set<ForbiddenDataScreen.FreeTextField>()
        for item in try node.required("freeTextFields", in: members).sequence() {
            let name = try item.string()
            guard let field = ForbiddenDataScreen.FreeTextField(rawValue: name) else {
                throw item.error("'\(name)' is not a free-text field (known: \(ForbiddenDataScreen.FreeTextField.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            fields.insert(field)
        }
        return ForbiddenDataScreen(clause: clause, fieldNames: names, terms: terms, freeTextFields: fields)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        case .duplicatedKeysInMapping(let duplicates, _): return "duplicated keys \(duplicates.joined(separator: ", "))"
        default: return "\(error)"
        }
    }
}

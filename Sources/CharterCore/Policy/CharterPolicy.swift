/// The charter, compiled: everything the hub needs to decide a request, resolved at load so that
/// each per-record decision is a table lookup (see `PolicyCompiler`).
public struct CharterPolicy: Sendable {
    /// SHA-256 (hex) of the policy source, so every decision can name the exact policy in force.
    public let hash: String
    /// What each catalog field is, from the policy.
    public let catalog: [RecordField: FieldDescription]
    /// The allowed `operationType` values.
    public let operationTypes: Set<String>
    /// One compiled rule per relation, indexed by `Relation` order.
    let rules: [RelationRule]
    /// The special-category screen (D2).
    public let forbiddenData: ForbiddenDataScreen
    /// The purposes of use (C5), by name.
    public let purposes: [String: PurposeRule]
    /// The purpose a caller of each kind gets when it declares none; never the brand's (C5).
    public let defaultPurposes: [MemberKind: String]
    /// What the sale of a dealership changes (C6, C8).
    public let sales: SaleRules

    /// A catalog entry: what the field holds and whether it is personal data.
    public struct FieldDescription: Sendable, Hashable {
        public let about: String
        public let personal: Bool
    }

    init(
        hash: String, catalog: [RecordField: FieldDescription], operationTypes: Set<String>,
        rules: [RelationRule], forbiddenData: ForbiddenDataScreen, purposes: [String: PurposeRule],
        defaultPurposes: [MemberKind: String], sales: SaleRules
    ) {
        self.hash = hash
        self.catalog = catalog
        self.operationTypes = operationTypes
        self.rules = rules
        self.forbiddenData = forbiddenData
        self.purposes = purposes
        self.defaultPurposes = defaultPurposes
        self.sales = sales
    }

    /// The compiled rule for `relation`, when the request's purpose does not set its own.
    public func rule(for relation: Relation) -> RelationRule {
        rules[relation.index]
    }

    /// The purpose a request works under: the one it declares, else its caller's default (none for the
    /// brand, which always declares one). An undeclared name is refused, naming the known ones.
    public func purpose(declared: String?, by kind: MemberKind) throws(CharterError) -> PurposeRule? {
        guard let declared else { return defaultPurposes[kind].flatMap { purposes[$0] } }
        guard let purpose = purposes[declared] else {
            let shown = declared.utf8.count <= 64 ? "'\(declared)'" : "the declared purpose"
            throw CharterError(
                .unknownPurpose, "\(shown) is not a purpose of the charter (known: \(purposes.keys.sorted().joined(separator: ", ")))",
                field: "Charter-Purpose", clause: "C5"
            )
        }
        return purpose
    }

    /// The names of the purposes a member of `kind` may declare for `use`, sorted, for error messages.
    public func purposes(for kind: MemberKind, covering use: PurposeUse) -> [String] {
        purposes.values.filter { $0.callers.contains(kind) && $0.uses.contains(use) && $0.denial == nil }.map(\.name).sorted()
    }

    /// Checks the charter's own rules on a structurally valid record: the operation vocabulary,
    /// special-category terms in free text (D2), and that the work is not dated in the future.
    public func validate(_ record: RecordInput, today: CalendarDate) throws(CharterError) {
        guard operationTypes.contains(record.operationType) else {
            throw .invalid(
                "operationType",
                "operationType '\(record.operationType)' is not in the vocabulary of policies/charter.yaml (\(operationTypes.sorted().joined(separator: ", ")))"
            )
        }
        guard record.performedOn <= today else {
            throw .invalid("performedOn", "performedOn \(record.performedOn) is in the future")
        }
        if let notes = record.notes, let error = forbiddenData.check(text: notes, field: .notes, path: "notes") {
            throw error
        }
        if let name = record.customer?.name, let error = forbiddenData.check(text: name, field: .customerName, path: "customer.name") {
            throw error
        }
        for (index, line) in (record.lines ?? []).enumerated() {
            if let label = line.label, let error = forbiddenData.check(text: label, field: .lineLabel, path: "lines[\(index)].label") {
                throw error
            }
        }
        // Identifiers and contact fields after the free text, so a refusal of free text reads as before.
        if let error = forbiddenData.check(text: record.sourceRef, field: .sourceRef, path: "sourceRef") { throw error }
        if let ref = record.customer?.ref, let error = forbiddenData.check(text: ref, field: .customerRef, path: "customer.ref") { throw error }
        if let email = record.customer?.email, let error = forbiddenData.check(text: email, field: .customerEmail, path: "customer.email") {
            throw error
        }
        for (index, line) in (record.lines ?? []).enumerated() {
            if let error = forbiddenData.check(text: line.code, field: .lineCode, path: "lines[\(index)].code") { throw error }
        }
    }
}

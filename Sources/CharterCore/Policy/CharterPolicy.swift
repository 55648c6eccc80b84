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

    /// A catalog entry: what the field holds and whether it is personal data.
    public struct FieldDescription: Sendable, Hashable {
        public let about: String
        public let personal: Bool
    }

    init(
        hash: String, catalog: [RecordField: FieldDescription], operationTypes: Set<String>,
        rules: [Relation: RelationRule], forbiddenData: ForbiddenDataScreen
    ) {
        self.hash = hash
        self.catalog = catalog
        self.operationTypes = operationTypes
        self.rules = Relation.allCases.map { rules[$0]! }
        self.forbiddenData = forbiddenData
    }

    /// The compiled rule for `relation`.
    public func rule(for relation: Relation) -> RelationRule {
        rules[relation.index]
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
    }
}

/// The compiled rule for one relation: either the fields it releases (with consent conditions) or a denial.
public struct RelationRule: Sendable, Hashable {
    public let relation: Relation
    /// The charter clause this rule implements.
    public let clause: String
    /// The fields released when every condition holds; empty for a denied relation.
    public let fields: FieldSet
    /// Fields withheld unless the record's consent allows them.
    public let conditions: [ConsentCondition]
    /// Set when the relation may not read records at all; the human reason.
    public let denial: String?

    public init(relation: Relation, clause: String, fields: FieldSet, conditions: [ConsentCondition] = [], denial: String? = nil) {
        self.relation = relation
        self.clause = clause
        self.fields = fields
        self.conditions = conditions
        self.denial = denial
    }
}

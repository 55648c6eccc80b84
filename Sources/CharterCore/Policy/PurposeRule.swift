/// A compiled purpose of use (C5): who may declare it, which uses it covers, and what each relation
/// releases under it. A purpose the charter refuses is still declared, so that it is refused with its
/// clause (403) rather than as unknown (400).
public struct PurposeRule: Sendable, Hashable {
    /// Whether a request under the purpose names the dealership it acts for (`Charter-On-Behalf-Of`).
    public enum OnBehalfOf: String, Sendable, Hashable, CaseIterable {
        /// The request must name one, and only that dealership's records are released (C5).
        case required
        /// The request may name one; it then reaches only that dealership's records.
        case optional
    }

    public let name: String
    public let clause: String
    public let about: String
    /// The member kinds that may declare it.
    public let callers: Set<MemberKind>
    /// What it may be used for; empty for a refused purpose.
    public let uses: Set<PurposeUse>
    public let onBehalfOf: OnBehalfOf
    /// Set when the charter refuses the purpose; the human reason.
    public let denial: String?
    /// One rule per relation, indexed by `Relation` order: the purpose's own where it declares one, the
    /// policy's relation rule otherwise.
    let rules: [RelationRule]

    init(
        name: String, clause: String, about: String, callers: Set<MemberKind>, uses: Set<PurposeUse>, onBehalfOf: OnBehalfOf,
        denial: String?, rules: [RelationRule]
    ) {
        self.name = name
        self.clause = clause
        self.about = about
        self.callers = callers
        self.uses = uses
        self.onBehalfOf = onBehalfOf
        self.denial = denial
        self.rules = rules
    }

    /// The rule `relation` follows under this purpose.
    public func rule(for relation: Relation) -> RelationRule {
        rules[relation.index]
    }
}

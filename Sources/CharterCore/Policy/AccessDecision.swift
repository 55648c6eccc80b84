/// The outcome of asking the charter whether a caller may see a record. A denial is a value that carries
/// its clause, not a thrown error, so callers log it and answer it like any other decision.
public enum AccessDecision: Sendable, Hashable {
    /// The caller may see exactly `fields` of the record, under `relation`.
    case allow(relation: Relation, fields: FieldSet, clause: String)
    /// The caller may see nothing of it; `clause` is the rule and `reason` says why in words.
    case deny(relation: Relation, clause: String, reason: String)

    /// The relation the decision was taken under.
    public var relation: Relation {
        switch self {
        case .allow(let relation, _, _), .deny(let relation, _, _): return relation
        }
    }

    /// The clause the decision rests on.
    public var clause: String {
        switch self {
        case .allow(_, _, let clause), .deny(_, let clause, _): return clause
        }
    }
}

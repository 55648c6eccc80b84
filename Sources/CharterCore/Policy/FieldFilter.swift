/// Decides, record by record, which fields a caller sees: the relation between the caller and the
/// entering dealer selects a compiled rule, and the record's consent trims personal data (C2, C3, D3).
public struct FieldFilter: Sendable {
    public let policy: CharterPolicy

    public init(policy: CharterPolicy) {
        self.policy = policy
    }

    /// The caller's relation to a record entered by `ownerID`, whose group is `ownerGroup` and whose
    /// records the brand transferred to `custodian` (C7), if it did.
    public static func relation(of caller: Member, toOwner ownerID: String, ownerGroup: String?, custodian: String? = nil) -> Relation {
        switch caller.kind {
        case .oem: return .oem
        case .auditor: return .auditor
        case .operator: return .operator
        case .dealer:
            if caller.id == ownerID { return .own }
            if caller.id == custodian { return .custodian }
            if let group = caller.group, group == ownerGroup { return .sameGroup }
            return .crossGroup
        }
    }

    /// The decision for one record under `relation`, given the record's consent and the request's purpose
    /// (none: the policy's relation rules).
    public func decide(_ relation: Relation, consent: Consent?, purpose: PurposeRule? = nil) -> AccessDecision {
        let rule = purpose?.rule(for: relation) ?? policy.rule(for: relation)
        if let denial = rule.denial {
            return .deny(relation: relation, clause: rule.clause, reason: denial)
        }
        var fields = rule.fields
        for condition in rule.conditions where fields.contains(condition.field) && !condition.isGranted(by: consent) {
            fields.remove(condition.field)
        }
        return .allow(relation: relation, fields: fields, clause: rule.clause)
    }

    /// The decision for `caller` reading, under `purpose`, a record entered by `ownerID` with `consent`,
    /// as `directory` has the owner now (its group, the custodian of its records).
    public func decide(caller: Member, ownerID: String, in directory: MemberDirectory, consent: Consent?, purpose: PurposeRule? = nil) -> AccessDecision {
        let relation = Self.relation(
            of: caller, toOwner: ownerID, ownerGroup: directory.members[ownerID]?.group, custodian: directory.custodians[ownerID]
        )
        return decide(relation, consent: consent, purpose: purpose)
    }
}

/// Decides whether a caller may make a use of dealer data under the purpose it declared (C5), given the
/// sale status of the dealerships the request touches (C6, C8). It runs before any field is filtered:
/// the `FieldFilter` then decides, record by record, what the purpose releases.
public struct PurposeGate: Sendable {
    public let policy: CharterPolicy

    public init(policy: CharterPolicy) {
        self.policy = policy
    }

    /// The decision for `caller` making `use` of data entered by `dealers`, under `purpose` (already
    /// resolved, so a dealer's default is in place) and acting for `onBehalfOf` when the brand names one.
    ///
    /// `dealers` is nil when the request does not know yet whose data it touches (a record not yet read):
    /// the rules that depend on them (the pending-sale lock, acting on behalf) wait for the call that knows,
    /// and so does the refusal of a purpose the lock covers, so that a locked purpose is refused under C8.
    public func decide(_ use: PurposeUse, by caller: Member, purpose: PurposeRule?, onBehalfOf: String?, touching dealers: [Member]?) -> UseDecision {
        let sales = policy.sales
        if caller.kind == .dealer, caller.saleStatus == .soldOutOfNetwork, !sales.departedKeeps.contains(use) {
            return .deny(
                clause: sales.departedClause,
                reason: "'\(caller.id)' was sold outside the network (\(sales.departedClause)): its certificate serves only to extract the data it entered, not for \(use.rawValue)"
            )
        }
        guard let purpose else {
            guard caller.kind != .oem else {
                let choices = policy.purposes(for: .oem, covering: use)
                return .deny(
                    clause: "C5",
                    reason: "the brand always declares the purpose of its request (C5): send Charter-Purpose with one of \(choices.isEmpty ? "the policy's purposes" : choices.joined(separator: ", "))"
                )
            }
            return .allow
        }
        let declarable = mayDeclare(purpose, caller: caller)
        guard declarable == .allow else { return declarable }
        let locked = sales.lockedPurposes.contains(purpose.name)
        // Refusals name no dealership the caller did not name itself: which dealership entered a record is a
        // field (`enteredBy`) that the refused purpose may not release.
        if locked, dealers?.contains(where: { $0.saleStatus == .salePending }) == true {
            return .deny(
                clause: sales.pendingClause,
                reason: "the data this request touches belongs to a dealership whose sale is pending: it may be neither resold, nor given away, nor transferred until the sale concludes (\(sales.pendingClause)); purpose '\(purpose.name)' is refused"
            )
        }
        if let denial = purpose.denial {
            return locked && dealers == nil ? .allow : .deny(clause: purpose.clause, reason: denial)
        }
        guard purpose.uses.contains(use) else {
            let choices = policy.purposes(for: caller.kind, covering: use)
            return .deny(
                clause: purpose.clause,
                reason: "purpose '\(purpose.name)' does not cover \(use.rawValue) (\(purpose.clause))\(choices.isEmpty ? "" : "; purposes that do: \(choices.joined(separator: ", "))")"
            )
        }
        if purpose.onBehalfOf == .required, onBehalfOf == nil {
            return .deny(
                clause: purpose.clause,
                reason: "purpose '\(purpose.name)' is used only in a dealership's name: send Charter-On-Behalf-Of with the dealership's id (\(purpose.clause))"
            )
        }
        if let onBehalfOf, dealers?.contains(where: { $0.id != onBehalfOf }) == true {
            return .deny(
                clause: purpose.clause,
                reason: "the data was not entered by '\(onBehalfOf)', in whose name the request acts (\(purpose.clause))"
            )
        }
        return .allow
    }

    /// Whether `caller` may declare `purpose` at all, whatever the request uses it for. The server checks it
    /// before any route runs, so that no request, on any route, is served or logged under a purpose its
    /// caller cannot hold (an auditor's `warranty`).
    public func mayDeclare(_ purpose: PurposeRule, caller: Member) -> UseDecision {
        guard purpose.callers.contains(caller.kind) else {
            return .deny(
                clause: purpose.clause,
                reason: "purpose '\(purpose.name)' is for \(purpose.callers.map(\.rawValue).sorted().joined(separator: ", ")); '\(caller.id)' is of kind \(caller.kind.rawValue) (\(purpose.clause))"
            )
        }
        return .allow
    }
}

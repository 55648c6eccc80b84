/// Whose data a requester may have extracted (C4): a dealership its own, the brand a dealership's on its
/// behalf; nobody else, whatever its group. Which purpose the brand declares for it is the policy's
/// matter, decided before by `PurposeGate` (the default policy's `dealer_request`).
///
/// The right follows who *entered* the data, not the dealer's current membership: a dealership sold
/// outside the network keeps it (C6), and the brand may extract for a dealership that has left.
public enum ExtractionRule {
    /// The clause every extraction decision rests on.
    public static let clause = "C4"

    /// Whether `requester` may have `dealerID`'s data extracted; `dealer` is the directory's entry for
    /// `dealerID` (nil when the hub does not know it).
    public static func decide(requester: Member, dealerID: String, dealer: Member?) -> UseDecision {
        switch requester.kind {
        case .dealer:
            guard requester.id == dealerID else {
                return .deny(clause: clause, reason: "a dealership extracts only the data it entered itself (C4); '\(dealerID)' is another dealership")
            }
            return .allow
        case .oem:
            guard dealer?.kind == .dealer else {
                return .deny(clause: clause, reason: "'\(dealerID)' is not a dealership of the network (C4)")
            }
            return .allow
        case .auditor, .operator:
            return .deny(
                clause: clause,
                reason: "extractions are made for a dealership, at its request or by the brand on its behalf (C4); a member of kind \(requester.kind.rawValue) may not ask for one"
            )
        }
    }
}

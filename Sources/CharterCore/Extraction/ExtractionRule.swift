/// Who may ask for an extraction of a dealer's data (C4): the dealer itself, or the brand acting on the
/// dealer's behalf under the `dealer_request` purpose. Nobody else, whatever its group.
///
/// The right follows who *entered* the data, not the dealer's current membership: a dealer whose
/// certificate still authenticates may extract, and the brand may extract for a dealer that has left.
public enum ExtractionRule {
    /// The clause every extraction decision rests on.
    public static let clause = "C4"
    /// The purpose the brand must declare.
    public static let oemPurpose = "dealer_request"

    /// The outcome of an extraction request. A refusal is a value that carries the clause and the reason.
    public enum Decision: Sendable, Hashable {
        case allow
        case deny(reason: String)
    }

    /// Whether `requester` may have `dealerID`'s data extracted, declaring `purpose`.
    /// `dealer` is the directory's entry for `dealerID` (nil when the hub does not know it).
    public static func decide(requester: Member, dealerID: String, dealer: Member?, purpose: String?) -> Decision {
        switch requester.kind {
        case .dealer:
            guard requester.id == dealerID else {
                return .deny(reason: "a dealership extracts only the data it entered itself (C4); '\(dealerID)' is another dealership")
            }
            return .allow
        case .oem:
            guard purpose == oemPurpose else {
                let declared = purpose.map { "'\($0)'" } ?? "none"
                return .deny(reason: "the brand extracts a dealer's data only at the dealer's request: declare Charter-Purpose: \(oemPurpose) (declared: \(declared)) (C4)")
            }
            guard dealer?.kind == .dealer else {
                return .deny(reason: "'\(dealerID)' is not a dealership of the network (C4)")
            }
            return .allow
        case .auditor, .operator:
            return .deny(reason: "extractions are made for a dealership, at its request or by the brand on its behalf (C4); a member of kind \(requester.kind.rawValue) may not ask for one")
        }
    }
}

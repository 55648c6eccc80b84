/// When the brand may transfer a sold dealership's records to a network member (C7): only once the sale
/// has concluded outside the network, and only to an active dealership of the network. The purpose and
/// the pending-sale lock (C5, C8) are decided before, by `PurposeGate`.
public enum CustodyTransfer {
    /// The clause the transfer rests on.
    public static let clause = "C7"

    /// What a transfer request comes to.
    public enum Decision: Sendable, Hashable {
        case allow
        /// The same transfer was made before; nothing changes.
        case replay(Custody)
        case refuse(Refusal)
    }

    /// Why a transfer is not made; nothing changes.
    public enum Refusal: Sendable, Hashable {
        /// The charter does not allow it; `field` is `from` or `to`.
        case deny(field: String, reason: String)
        /// The records already went to another custodian (answered 409).
        case conflict(Custody)
    }

    /// The decision for moving `fromID`'s records to `toID`, given what the hub knows of both and the
    /// custody already recorded for `fromID`.
    public static func decide(fromID: String, toID: String, from: Member?, to: Member?, existing: Custody?) -> Decision {
        guard let from, from.kind == .dealer else {
            return .refuse(.deny(field: "from", reason: "'\(fromID)' is not a dealership of the network; only a sold dealership's records are transferred (C7)"))
        }
        guard from.saleStatus == .soldOutOfNetwork else {
            return .refuse(.deny(
                field: "from",
                reason: "'\(fromID)' is \(from.saleStatus.rawValue): its records may be transferred only once its sale outside the network has concluded (C7)"
            ))
        }
        guard let to, to.kind == .dealer else {
            return .refuse(.deny(field: "to", reason: "'\(toID)' is not a dealership of the network; records are transferred to a network member (C7)"))
        }
        guard to.id != from.id, to.status == .active, to.saleStatus == .active || to.saleStatus == .soldToNetwork else {
            let state = to.status == .active ? to.saleStatus.rawValue : to.status.rawValue
            return .refuse(.deny(field: "to", reason: "'\(toID)' is \(state); records are transferred only to an active dealership of the network (C7)"))
        }
        if let existing {
            return existing.custodian == to.id ? .replay(existing) : .refuse(.conflict(existing))
        }
        return .allow
    }
}

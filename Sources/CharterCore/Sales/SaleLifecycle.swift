/// The sale of a dealership as a state machine: `active` → `sale_pending` → `sold_to_network` |
/// `sold_out_of_network`, or back to `active` when cancelled. Pure, so the store applies it inside the
/// transaction that reads the current state and tests can walk every path.
public enum SaleLifecycle {
    /// Where an action leads, or why it cannot be taken.
    public enum Step: Sendable, Hashable {
        /// The dealership moves to `status`, in `group`.
        case move(to: SaleStatus, group: String)
        case refuse(Refusal)
    }

    /// Why an action cannot be taken; nothing changes.
    public enum Refusal: Sendable, Hashable {
        /// The action does not fit the current state (answered 409).
        case conflict(String)
        /// The action names something that does not exist (answered 422).
        case invalid(CharterError)
    }

    /// The step `action` takes for `dealer`, whose pending sale (if any) is to `pendingBuyer`.
    /// `groupExists` says whether a buyer's ownership group is known to the hub.
    public static func step(_ action: SaleAction, dealer: Member, pendingBuyer: SaleBuyer?, groupExists: (String) throws -> Bool) rethrows -> Step {
        guard let group = dealer.group, dealer.kind == .dealer else {
            return .refuse(.invalid(.invalid("dealer", "'\(dealer.id)' is not a dealership; only dealerships are sold")))
        }
        guard dealer.status == .active else {
            return .refuse(.conflict("'\(dealer.id)' has been revoked; its sale is no longer recorded by the hub"))
        }
        switch (action, dealer.saleStatus) {
        case (.open, .salePending):
            return .refuse(.conflict("a sale of '\(dealer.id)' is already pending; conclude or cancel it before opening another"))
        case (.open, .soldOutOfNetwork):
            return .refuse(.conflict("'\(dealer.id)' was sold outside the network; it has nothing left to sell through the hub"))
        case (.open(let buyer), .active), (.open(let buyer), .soldToNetwork):
            if let buyerGroup = buyer.group, try !groupExists(buyerGroup) {
                return .refuse(.invalid(.invalid("buyer.group", "'\(buyerGroup)' is not an ownership group of the network (see charterhub groups list)")))
            }
            return .move(to: .salePending, group: group)
        case (.conclude, .salePending):
            guard let buyer = pendingBuyer else {
                return .refuse(.conflict("the pending sale of '\(dealer.id)' has no recorded buyer; cancel it and open it again"))
            }
            if buyer.networkMember, let buyerGroup = buyer.group {
                return .move(to: .soldToNetwork, group: buyerGroup)
            }
            return .move(to: .soldOutOfNetwork, group: group)
        case (.cancel, .salePending):
            return .move(to: .active, group: group)
        case (.conclude, let status), (.cancel, let status):
            return .refuse(.conflict("no sale of '\(dealer.id)' is pending (status \(status.rawValue)); open one before you \(action.name) it"))
        }
    }
}

import CharterCore
import Foundation

/// Records the steps of a dealership's sale (C6–C8) for whoever drives it, the brand or the operator
/// through the API or the operator at the console, so that both paths apply and log them alike.
public struct SaleDesk: Sendable {
    public let store: any DealerStore

    public init(store: any DealerStore) {
        self.store = store
    }

    /// Builds an entry in the actor's name: action, decision, clause, target, refusal code.
    public typealias EntryMaker = @Sendable (String, AccessLogEntry.Decision, String?, AccessLogEntry.Target, String?) -> AccessLogEntry

    /// Applies `action` to `dealer`; the outcome is logged as `dealer.sale.<action>` in the same transaction.
    public func apply(_ action: SaleAction, dealer: String, by actor: String, at date: Date = Date(), entry: @escaping EntryMaker) async throws -> SaleOutcome {
        try await store.applySale(action, dealer: dealer, by: actor, at: date) { outcome in
            let name = "dealer.sale.\(action.name)"
            switch outcome {
            case .moved(let transition):
                return [entry(name, .allow, Self.clause(of: transition), .init(dealer: dealer, group: transition.group, saleStatus: transition.to.rawValue), nil)]
            case .refused(let refusal):
                return [entry(name, .deny, nil, .init(dealer: dealer), Self.error(refusal).code)]
            case .notFound:
                return [entry(name, .deny, nil, .init(dealer: dealer), "not_found")]
            }
        }
    }

    /// The clause a transition rests on: opening and cancelling start and end the pending-sale lock (C8),
    /// a sale outside the network is C6, a takeover changes what crosses between groups (C3).
    public static func clause(of transition: SaleTransition) -> String {
        switch transition.to {
        case .soldOutOfNetwork: return "C6"
        case .soldToNetwork: return "C3"
        case .active, .salePending: return "C8"
        }
    }

    /// The answer to a refused step: 409 when the state does not allow it, 422 for a bad reference.
    public static func error(_ refusal: SaleLifecycle.Refusal) -> HubError {
        switch refusal {
        case .conflict(let reason): return HubError(.conflict, code: "invalid_transition", message: reason)
        case .invalid(let error): return HubError(error)
        }
    }
}

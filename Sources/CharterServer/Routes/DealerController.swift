import CharterCore
import Foundation
import Hummingbird

/// The sale of a dealership (C6–C8): `GET /v1/dealers/{id}` shows its status and history, and
/// `POST /v1/dealers/{id}/sale` opens, concludes or cancels a sale. The operator and the brand drive it.
struct DealerController: Sendable {
    let store: any HubStore
    let refresher: DirectoryRefresher
    let accessLog: AccessLogger

    func register(on table: RouteTable) {
        table.add(.get, "/v1/dealers/{id}", action: "dealer.read", read)
        table.add(.post, "/v1/dealers/{id}/sale", action: "dealer.sale", sale)
    }

    @Sendable func read(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let id = try context.parameters.require("id")
        guard member.kind != .dealer || member.id == id else {
            throw HubError.forbidden("a dealership sees its own sale status only; '\(id)' is another dealership", clause: nil)
        }
        guard let standing = try await store.dealerStanding(id: id) else { throw HubError.notFound("no dealership '\(id)'") }
        try await accessLog.record(accessLog.entry(context, action: "dealer.read", decision: .allow, target: .init(dealer: id)))
        return try JSONBody.response(.ok, standing)
    }

    @Sendable func sale(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let id = try context.parameters.require("id")
        guard member.kind == .operator || member.kind == .oem else {
            throw HubError.forbidden("the operator and the brand record the sale of a dealership; '\(member.id)' is of kind \(member.kind.rawValue)", clause: nil)
        }
        let body = try await JSONBody.collect(request, limit: HubLimits.saleRequestBytes, mediaType: "application/json")
        let action = try RecordDecoder.decode(SaleAction.self, from: body.readableBytesView)
        let accessLog = self.accessLog
        let outcome = try await store.applySale(action, dealer: id, by: member.id, at: Date()) { outcome in
            [Self.entry(outcome, action: action, dealer: id) { decision, clause, target, code in
                accessLog.entry(context, action: "dealer.sale.\(action.name)", decision: decision, clause: clause, target: target, code: code)
            }]
        }
        switch outcome {
        case .moved:
            // The next request already sees the new status and group.
            try await refresher.refresh()
            guard let standing = try await store.dealerStanding(id: id) else { throw HubError.notFound("no dealership '\(id)'") }
            return try JSONBody.response(.ok, standing)
        case .refused(let step):
            var error = Self.error(step)
            error.logged = true
            throw error
        case .notFound:
            var error = HubError.notFound("no dealership '\(id)'")
            error.logged = true
            throw error
        }
    }

    /// The log entry of a sale action's outcome, built by `make(decision, clause, target, code)`.
    /// Opening and cancelling rest on the pending-sale lock (C8); concluding on C6 out of the network and
    /// on the group rules (C3) for a takeover.
    static func entry(
        _ outcome: SaleOutcome, action: SaleAction, dealer: String,
        make: (AccessLogEntry.Decision, String?, AccessLogEntry.Target, String?) -> AccessLogEntry
    ) -> AccessLogEntry {
        switch outcome {
        case .moved(let transition):
            let clause = switch transition.to {
            case .soldOutOfNetwork: "C6"
            case .soldToNetwork: "C3"
            case .active, .salePending: "C8"
            }
            return make(.allow, clause, .init(dealer: dealer, group: transition.group, saleStatus: transition.to.rawValue), nil)
        case .refused(let step):
            return make(.deny, nil, .init(dealer: dealer), error(step).code)
        case .notFound:
            return make(.deny, nil, .init(dealer: dealer), "not_found")
        }
    }

    /// The answer to a refused step: 409 when the state does not allow it, 422 for a bad reference.
    static func error(_ step: SaleLifecycle.Step) -> HubError {
        switch step {
        case .conflict(let reason): return HubError(.conflict, code: "invalid_transition", message: reason)
        case .invalid(let error): return HubError(error)
        case .move: return HubError(.internalServerError, code: "internal_error", message: "the sale action was not refused")
        }
    }
}

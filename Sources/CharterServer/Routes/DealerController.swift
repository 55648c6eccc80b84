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
        let outcome = try await SaleDesk(store: store).apply(action, dealer: id, by: member.id) { name, decision, clause, target, code in
            accessLog.entry(context, action: name, decision: decision, clause: clause, target: target, code: code)
        }
        switch outcome {
        case .moved:
            // The next request already sees the new status and group.
            try await refresher.refresh()
            guard let standing = try await store.dealerStanding(id: id) else { throw HubError.notFound("no dealership '\(id)'") }
            return try JSONBody.response(.ok, standing)
        case .refused(let refusal):
            var error = SaleDesk.error(refusal)
            error.logged = true
            throw error
        case .notFound:
            var error = HubError.notFound("no dealership '\(id)'")
            error.logged = true
            throw error
        }
    }
}

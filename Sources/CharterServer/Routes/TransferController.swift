import CharterCore
import Foundation
import Hummingbird

/// `POST /v1/transfers`: after a dealership's sale outside the network, the brand hands its records to
/// a network member that keeps the customer link (C7), under the `network_transfer` purpose. Refused
/// while the sale is pending (C8) and before it concludes (C7).
struct TransferController: Sendable {
    let store: any HubStore
    let registry: MemberRegistry
    let refresher: DirectoryRefresher
    let gate: PurposeGate
    let accessLog: AccessLogger

    func register(on table: RouteTable) {
        table.add(.post, "/v1/transfers", action: "transfer.create", create)
    }

    /// The transfer as the API shows it.
    struct TransferBody: Encodable {
        let status: String
        let custody: Custody
    }

    @Sendable func create(_ request: Request, context: HubRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let body = try await JSONBody.collect(request, limit: HubLimits.transferRequestBytes, mediaType: "application/json")
        let input = try RecordDecoder.decode(TransferRequest.self, from: body.readableBytesView)
        let target = AccessLogEntry.Target(dealer: input.from, custodian: input.to)
        guard member.kind == .oem else {
            throw try await accessLog.refusal(
                context, action: "transfer.create", clause: CustodyTransfer.clause,
                reason: "only the brand transfers a sold dealership's records (C7); '\(member.id)' is of kind \(member.kind.rawValue)", target: target
            )
        }
        let from = registry.directory.members[input.from]
        try await accessLog.require(
            gate.decide(.transfer, by: member, purpose: context.purpose, onBehalfOf: context.onBehalfOf, touching: from.map { [$0] } ?? []),
            context, action: "transfer.create", target: target
        )
        let accessLog = self.accessLog
        let outcome = try await store.transfer(from: input.from, to: input.to, by: member.id, at: Date()) { outcome in
            switch outcome {
            case .transferred(let custody), .replayed(let custody):
                var done = target
                done.recordCount = custody.recordCount
                let action = if case .transferred = outcome { "transfer.create" } else { "transfer.replay" }
                return [accessLog.entry(context, action: action, decision: .allow, clause: CustodyTransfer.clause, target: done)]
            case .refused(let refusal):
                return [accessLog.entry(
                    context, action: "transfer.create", decision: .deny, clause: CustodyTransfer.clause, target: target, code: Self.error(refusal).code
                )]
            }
        }
        switch outcome {
        case .transferred(let custody):
            try await refresher.refresh()
            return try JSONBody.response(.created, TransferBody(status: "transferred", custody: custody))
        case .replayed(let custody):
            return try JSONBody.response(.ok, TransferBody(status: "replayed", custody: custody))
        case .refused(let refusal):
            var error = Self.error(refusal)
            error.logged = true
            throw error
        }
    }

    /// The answer to a refused transfer: 403 with the clause, or 409 when the records already went elsewhere.
    static func error(_ refusal: CustodyTransfer.Refusal) -> HubError {
        switch refusal {
        case .deny(let field, let reason):
            return HubError(.forbidden, code: "forbidden", message: reason, field: field, clause: CustodyTransfer.clause)
        case .conflict(let custody):
            return HubError(
                .conflict, code: "already_transferred",
                message: "the records of '\(custody.dealer)' were transferred to '\(custody.custodian)' at \(custody.transferredAt); a sold dealership's records have one custodian (C7)",
                field: "to", clause: CustodyTransfer.clause
            )
        }
    }
}

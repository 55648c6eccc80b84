import CharterCore
import Hummingbird

/// `GET /v1/whoami`: who the hub believes the caller is, from its certificate.
struct IdentityController: Sendable {
    struct WhoAmI: Encodable {
        let id: String
        let kind: String
        let group: String?
        let status: String
        /// A dealership's sale status (C6–C8).
        let saleStatus: String?
    }

    func register(on table: RouteTable) {
        table.add(.get, "/v1/whoami", action: "member.whoami") { _, context in
            let member = try context.requireMember()
            return try JSONBody.response(.ok, WhoAmI(
                id: member.id, kind: member.kind.rawValue, group: member.group, status: member.status.rawValue,
                saleStatus: member.kind == .dealer ? member.saleStatus.rawValue : nil
            ))
        }
    }
}

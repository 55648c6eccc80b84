import CharterCore
import Hummingbird

/// Reads the purpose of use (`Charter-Purpose`) and the dealership the brand acts for
/// (`Charter-On-Behalf-Of`) once, before any route runs (C5). An unknown purpose or a malformed header is
/// a 400 here, and a purpose the caller's kind may not declare a 403 on every route; whether the purpose
/// allows what the route does is the route's `PurposeGate` decision.
struct PurposeMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    static let purposeHeader = HTTPFields.Element.Name("Charter-Purpose")!
    static let onBehalfOfHeader = HTTPFields.Element.Name("Charter-On-Behalf-Of")!

    let policy: CharterPolicy
    let registry: MemberRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let member = try context.requireMember()
        context.purpose = try policy.purpose(declared: request.headers[Self.purposeHeader], by: member.kind)
        if let purpose = context.purpose { try HubError.check(PurposeGate(policy: policy).mayDeclare(purpose, caller: member)) }
        if let dealer = request.headers[Self.onBehalfOfHeader] {
            context.onBehalfOf = try Self.onBehalfOf(dealer, caller: member, in: registry.directory)
        }
        return try await next(request, context)
    }

    /// The dealership named by `Charter-On-Behalf-Of`: only the brand acts for one, and it must be a
    /// dealership of the network.
    static func onBehalfOf(_ value: String, caller: Member, in directory: MemberDirectory) throws(CharterError) -> String {
        guard caller.kind == .oem else {
            throw CharterError(
                .invalidHeader, "only the brand acts on behalf of a dealership; '\(caller.id)' acts in its own name", field: "Charter-On-Behalf-Of",
                clause: "C5"
            )
        }
        // A revoked dealership has left the network: nothing is done in its name any more.
        guard let dealer = directory.members[value], dealer.kind == .dealer, dealer.status == .active else {
            let shown = value.utf8.count <= 64 ? "'\(value)'" : "the value"
            throw CharterError(
                .invalidHeader, "Charter-On-Behalf-Of names \(shown), which is not an active dealership of the network", field: "Charter-On-Behalf-Of"
            )
        }
        return value
    }
}

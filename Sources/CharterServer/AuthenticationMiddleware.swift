import Hummingbird

/// Turns the connection's verified certificate into the calling member before any route runs.
/// Identity comes from the certificate only; nothing in headers or bodies is consulted.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let registry: MemberRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.member = try registry.authenticate(context.peer).get()
        return try await next(request, context)
    }
}

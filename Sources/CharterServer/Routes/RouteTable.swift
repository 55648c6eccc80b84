import Hummingbird

/// Registers routes on the router and remembers them as `APIRoute`s.
final class RouteTable {
    let router: Router<HubRequestContext>
    private(set) var routes: [APIRoute] = []

    init(router: Router<HubRequestContext>) {
        self.router = router
    }

    func add(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, HubRequestContext) async throws -> Response
    ) {
        let route = APIRoute(method: method, path: path)
        routes.append(route)
        router.on(RouterPath(route.routerPath), method: method, use: handler)
    }
}

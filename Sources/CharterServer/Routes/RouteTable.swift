import Hummingbird

/// Registers routes on the router and remembers them as `APIRoute`s.
final class RouteTable {
    let router: Router<HubRequestContext>
    let catalog: RouteCatalog
    private(set) var routes: [APIRoute] = []

    init(router: Router<HubRequestContext>, catalog: RouteCatalog) {
        self.router = router
        self.catalog = catalog
    }

    /// Registers `handler`; `action` names the route in access-log entries.
    func add(
        _ method: HTTPRequest.Method, _ path: String, action: String,
        _ handler: @escaping @Sendable (Request, HubRequestContext) async throws -> Response
    ) {
        let route = APIRoute(method: method, path: path)
        routes.append(route)
        catalog.register(method: method.rawValue, routerPath: route.routerPath, action: action)
        router.on(RouterPath(route.routerPath), method: method, use: handler)
    }
}

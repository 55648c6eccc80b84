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
        let routerPath = RouterPath(route.routerPath)
        // Keyed by the path as Hummingbird reports the matched endpoint (`/v1/records/{id}`).
        catalog.register(method: method.rawValue, endpointPath: routerPath.description, action: action)
        router.on(routerPath, method: method, use: handler)
    }
}

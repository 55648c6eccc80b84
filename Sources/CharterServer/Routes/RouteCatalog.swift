import Synchronization

/// The access-log action name of each route (`GET /v1/records/:id` → `record.read`), filled while
/// routes are registered and read by the error middleware to name what a denied request tried.
final class RouteCatalog: Sendable {
    private let actions = Mutex<[String: String]>([:])

    func register(method: String, endpointPath: String, action: String) {
        actions.withLock { $0["\(method) \(endpointPath)"] = action }
    }

    /// The action of the route that matched, or `http.request` when none did.
    func action(method: String, endpointPath: String?) -> String {
        guard let endpointPath else { return "http.request" }
        return actions.withLock { $0["\(method) \(endpointPath)"] } ?? "http.request"
    }
}

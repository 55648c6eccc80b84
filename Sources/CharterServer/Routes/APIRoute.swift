import HTTPTypes

/// An endpoint as the OpenAPI document names it (`/v1/records/{id}`), recorded as routes are registered
/// so that a test can prove the document covers every one.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    public let path: String

    /// The same path in Hummingbird's syntax (`/v1/records/:id`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }

    public var description: String { "\(method.rawValue) \(path)" }
}

import CharterCore
import CharterStorage
import Hummingbird
import Logging

/// The outermost middleware: whatever went wrong, the client gets the JSON error body with a stable
/// code. Framework errors (unknown route, wrong method) are translated; unexpected ones are logged and
/// answered with a generic 500 that leaks nothing internal. Every refusal (4xx) is written to the access
/// log as a denial before it is answered.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let accessLog: AccessLogger
    let catalog: RouteCatalog
    let registry: MemberRegistry
    let policy: CharterPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refusal = translate(error, request, context)
            guard (400..<500).contains(refusal.status.code), !refusal.logged else { throw refusal }
            let action = catalog.action(method: request.method.rawValue, endpointPath: context.endpointPath)
            // Authentication ran inside this middleware, on a copy of the context: name the member again.
            var context = context
            if case .success(let member) = registry.authenticate(context.peer) {
                context.member = member
                // A purpose or dealership the headers name validly is logged with the refusal (C5).
                context.purpose = try? policy.purpose(declared: request.headers[PurposeMiddleware.purposeHeader], by: member.kind)
                context.onBehalfOf = request.headers[PurposeMiddleware.onBehalfOfHeader].flatMap {
                    try? PurposeMiddleware.onBehalfOf($0, caller: member, in: registry.directory)
                }
            }
            try await accessLog.record(
                accessLog.entry(context, action: action, decision: .deny, clause: refusal.clause, target: Self.target(request), code: refusal.code)
            )
            throw refusal
        }
    }

    /// The VIN or dealership a refused request was about, when its path names one; nothing from the body is logged.
    static func target(_ request: Request) -> AccessLogEntry.Target? {
        let segments = request.uri.path.split(separator: "/")
        if let index = segments.firstIndex(of: "vehicles"), index + 1 < segments.count {
            // Only a valid VIN: a longer segment cut to 17 characters would name a vehicle nobody asked for.
            return (try? VIN(validating: String(segments[index + 1]))).map { AccessLogEntry.Target(vin: $0.value) }
        }
        if let index = segments.firstIndex(of: "dealers"), index + 1 < segments.count {
            let id = String(segments[index + 1])
            return (try? Member.validateID(id)) != nil ? AccessLogEntry.Target(dealer: id) : nil
        }
        return nil
    }

    private func translate(_ error: any Error, _ request: Request, _ context: Context) -> HubError {
        switch error {
        case let error as HubError:
            return error
        case let error as CharterError:
            return HubError(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return HubError.notFound("no endpoint \(request.method.rawValue) \(request.uri.path); see /v1/openapi.yaml")
            case .methodNotAllowed:
                return HubError(.methodNotAllowed, code: "method_not_allowed", message: "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            case .contentTooLarge:
                return HubError.payloadTooLarge("the body is larger than this endpoint accepts")
            default:
                return HubError(error.status, code: "bad_request", message: error.body ?? error.status.reasonPhrase)
            }
        case let error as StorageError where error.code == .logUnavailable:
            context.logger.error("access log unavailable", metadata: ["error": "\(error)"])
            return HubError.logUnavailable
        case let error as StorageError where error.code == .unavailable:
            context.logger.error("storage unavailable", metadata: ["error": "\(error)"])
            return HubError(.serviceUnavailable, code: "storage_unavailable", message: "the hub cannot reach its storage; nothing was written, retry later")
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return HubError(.internalServerError, code: "internal_error", message: "the hub failed to process the request; nothing was released")
        }
    }
}

import CharterCore
import CharterStorage
import Hummingbird
import Logging

/// The outermost middleware: whatever went wrong, the client gets the JSON error body with a stable
/// code. Framework errors (unknown route, wrong method) are translated; unexpected ones are logged and
/// answered with a generic 500 that leaks nothing internal.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HubError {
            throw error
        } catch let error as CharterError {
            throw HubError(error)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                throw HubError.notFound("no endpoint \(request.method.rawValue) \(request.uri.path); see /v1/openapi.yaml")
            case .methodNotAllowed:
                throw HubError(.methodNotAllowed, code: "method_not_allowed", message: "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            case .contentTooLarge:
                throw HubError.payloadTooLarge("the body is larger than this endpoint accepts")
            default:
                throw HubError(error.status, code: "bad_request", message: error.body ?? error.status.reasonPhrase)
            }
        } catch let error as StorageError where error.code == .unavailable {
            context.logger.error("storage unavailable", metadata: ["error": "\(error)"])
            throw HubError(.serviceUnavailable, code: "storage_unavailable", message: "the hub cannot reach its storage; nothing was written, retry later")
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            throw HubError(.internalServerError, code: "internal_error", message: "the hub failed to process the request; nothing was released")
        }
    }
}

import CharterCore
import Foundation
import Hummingbird
import NIOCore

/// Every error the API returns, as `{"error":{"code","message","clause"?,"field"?}}`.
///
/// The code is stable and machine-readable; the message names the field or the rule for a human.
/// Internal causes (SQL, file paths) are logged, never sent.
public struct HubError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?
    public let clause: String?
    /// Extra response headers (`Content-Range` of a 416, `ETag` of a 412).
    public var headers: HTTPFields = [:]
    /// Set when the refusal is already in the access log, so the error middleware does not log it twice.
    public var logged = false

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, clause: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.clause = clause
    }

    /// The refusal of an input by the core, with the status its code calls for.
    public init(_ error: CharterError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .invalidJSON, .invalidVIN, .unknownField, .unknownPurpose, .invalidHeader: status = .badRequest
        case .invalidRecord, .forbiddenData: status = .unprocessableContent
        case .duplicateConflict: status = .conflict
        case .payloadTooLarge: status = .contentTooLarge
        }
        self.init(status, code: error.code.rawValue, message: error.message, field: error.field, clause: error.clause)
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The JSON body members, shared by error responses and batch line results.
    public var body: Body { Body(code: code, message: message, clause: clause, field: field) }

    /// The `error` object of an error body.
    public struct Body: Codable, Sendable, Hashable {
        public let code: String
        public let message: String
        public let clause: String?
        public let field: String?
    }

    private struct Envelope: Encodable {
        let error: Body
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response(status, Envelope(error: body))
        for field in headers { response.headers.append(field) }
        return response
    }

    static func unauthenticated(_ message: String) -> HubError {
        HubError(.unauthorized, code: "unauthenticated", message: message)
    }

    static func forbidden(_ message: String, clause: String?) -> HubError {
        HubError(.forbidden, code: "forbidden", message: message, clause: clause)
    }

    /// Throws the 403 a denying `decision` calls for; the error middleware logs it.
    static func check(_ decision: UseDecision) throws(HubError) {
        if case .deny(let clause, let reason) = decision { throw forbidden(reason, clause: clause) }
    }

    static func notFound(_ message: String) -> HubError {
        HubError(.notFound, code: "not_found", message: message)
    }

    static func payloadTooLarge(_ message: String) -> HubError {
        HubError(.contentTooLarge, code: "payload_too_large", message: message)
    }

    static let logUnavailable = HubError(
        .serviceUnavailable, code: "log_unavailable",
        message: "the access log cannot record this request, so nothing was released or written; retry later"
    )

    static func unsupportedMediaType(expected: String) -> HubError {
        HubError(.unsupportedMediaType, code: "unsupported_media_type", message: "Content-Type must be \(expected)", field: "Content-Type")
    }
}

extension HubError {
    /// Any error of a batch line as the error body it reports; unknown errors say nothing internal.
    init(_ error: any Error) {
        switch error {
        case let error as HubError: self = error
        case let error as CharterError: self.init(error)
        default: self.init(.badRequest, code: "invalid_record", message: "the line could not be read as a record")
        }
    }
}

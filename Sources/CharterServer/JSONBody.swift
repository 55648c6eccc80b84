import Foundation
import Hummingbird
import NIOCore

/// Builds JSON responses and reads request bodies within a route's limit.
enum JSONBody {
    /// `value` as a JSON response.
    static func response(_ status: HTTPResponse.Status = .ok, _ value: some Encodable) throws -> Response {
        response(status, json: try encode(value))
    }

    /// `value` as the hub's responses write JSON: keys sorted, slashes unescaped.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// JSON the core wrote itself (record views), as a response.
    static func response(_ status: HTTPResponse.Status = .ok, json: some Sequence<UInt8>) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: json))
        )
    }

    /// The whole body, refusing more than `limit` bytes with `payload_too_large` and a wrong media type
    /// with `unsupported_media_type`.
    static func collect(_ request: Request, limit: Int, mediaType: String) async throws -> ByteBuffer {
        let declared = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard declared == mediaType else { throw HubError.unsupportedMediaType(expected: mediaType) }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HubError.payloadTooLarge("the body is \(length) bytes; this endpoint accepts at most \(limit)")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HubError.payloadTooLarge("the body exceeds \(limit) bytes, the most this endpoint accepts")
        } catch is NIOTooManyBytesError {
            // A chunked body declares no length: it is refused when it outgrows the limit (it was a 500).
            throw HubError.payloadTooLarge("the body exceeds \(limit) bytes, the most this endpoint accepts")
        }
    }
}

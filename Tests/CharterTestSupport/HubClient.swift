import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// The project's own HTTP client for the hub: AsyncHTTPClient with a member's certificate.
public struct HubClient: Sendable {
    /// A failed expectation about the exchange itself.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// One response.
    public struct Reply: Sendable {
        public let status: Int
        public let body: Data
        public let contentType: String?
        public var headers: HTTPHeaders = [:]

        /// The body as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw Failure("the body is not a JSON object: \(String(decoding: body, as: UTF8.self))")
            }
            return object
        }

        /// `error.code` of an error body.
        public func errorCode() throws -> String? {
            (try json()["error"] as? [String: Any])?["code"] as? String
        }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let baseURL: String
    /// The TLS settings with this client's identity; the load generator opens its own connections with them.
    public let tls: TLSConfiguration
    /// Headers sent with every request of this client (e.g. the brand's `Charter-Purpose`).
    public private(set) var headers: [(String, String)] = []

    /// A client that presents the certificate at `certificatePath` (nil: none) and trusts `caPath`.
    public init(baseURL: String, caPath: String, certificatePath: String?, keyPath: String?) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
        if let certificatePath, let keyPath {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        }
        self.baseURL = baseURL
        self.tls = tls
    }

    /// Sends one request on a fresh client and returns the reply.
    public func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let reply = try await send(on: client, method, path, body: body, contentType: contentType, headers: headers)
            try await client.shutdown()
            return reply
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Sends one request on `client`, so a test can reuse a keep-alive connection.
    public func send(on client: HTTPClient, _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        }
        for (name, value) in self.headers + headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(
            status: Int(response.status.code), body: Data(buffer: buffer), contentType: response.headers.first(name: "Content-Type"),
            headers: response.headers
        )
    }

    /// The same client, sending `headers` with every request as well.
    public func with(headers: [(String, String)]) -> HubClient {
        var client = self
        client.headers += headers
        return client
    }

    /// The same client, declaring `purpose` (and acting for `onBehalfOf`) on every request (C5).
    public func with(purpose: String, onBehalfOf: String? = nil) -> HubClient {
        with(headers: [("Charter-Purpose", purpose)] + (onBehalfOf.map { [("Charter-On-Behalf-Of", $0)] } ?? []))
    }

    public func get(_ path: String) async throws -> Reply { try await send(.GET, path) }

    public func post(_ path: String, json: [String: Any]) async throws -> Reply {
        try await send(.POST, path, body: try JSONSerialization.data(withJSONObject: json), contentType: "application/json")
    }

    /// Sends `records` as one NDJSON batch and fails unless every line was accepted.
    public func batch(_ records: [[String: Any]]) async throws {
        let body = records.map { String(decoding: Fixtures.data($0), as: UTF8.self) }.joined(separator: "\n")
        let reply = try await send(.POST, "/v1/records/batch", body: Data(body.utf8), contentType: "application/x-ndjson")
        guard reply.status == 200, try reply.json()["rejected"] as? Int == 0 else { throw Failure("the batch was not fully accepted: \(reply.status) \(reply.text)") }
    }

    /// Asks for an extraction and waits (at most `timeout`) until it is ready; returns the final status body.
    /// `purpose` is declared on the request and on every poll.
    public func extract(_ request: [String: Any], purpose: String? = nil, timeout: Duration = .seconds(30)) async throws -> [String: Any] {
        if let purpose { return try await with(purpose: purpose).extract(request, timeout: timeout) }
        let reply = try await send(.POST, "/v1/extractions", body: Fixtures.data(request), contentType: "application/json")
        guard reply.status == 202, let id = try reply.json()["id"] as? String else { throw Failure("the extraction was not accepted: \(reply.status) \(reply.text)") }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let status = try await get("/v1/extractions/\(id)").json()
            switch status["status"] as? String {
            case "ready": return status
            case "failed": throw Failure("extraction \(id) failed: \(status)")
            default: try await Task.sleep(for: .milliseconds(50))
            }
        }
        throw Failure("extraction \(id) was not ready within \(timeout)")
    }

    /// A long-lived client with this identity; shut it down when done.
    public func makeHTTPClient() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }
}

import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/openapi.yaml`: the API's own description, shipped inside the binary.
struct OpenAPIController: Sendable {
    let document: ByteBuffer

    /// The OpenAPI document bundled with the server.
    static func bundledDocument() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw HubError(.internalServerError, code: "internal_error", message: "the OpenAPI document is missing from this build")
        }
        return try Data(contentsOf: url)
    }

    func register(on table: RouteTable) {
        let document = self.document
        table.add(.get, "/v1/openapi.yaml", action: "api.describe") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: document))
        }
    }
}

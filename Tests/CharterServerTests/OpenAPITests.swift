import CharterServer
import CharterTestSupport
import Foundation
import Testing
import Yams

@Suite struct OpenAPITests {
    @Test func everyRouteIsDocumentedAndTheDocumentIsServed() async throws {
        try await LiveHub.with { hub in
            let served = try await hub.enroll("d-lille", group: "g-north")
            _ = served
            let reply = try await hub.client("d-lille").get("/v1/openapi.yaml")
            #expect(reply.status == 200)
            let document = try #require(try Yams.load(yaml: reply.text) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            let paths = try #require(document["paths"] as? [String: Any])
            let routes = try hub.server.makeRouter().routes
            #expect(routes.count >= 6)
            for route in routes {
                let operations = paths[route.path] as? [String: Any]
                #expect(operations?[route.method.rawValue.lowercased()] != nil, "\(route) is missing from docs/openapi.yaml")
            }
            let onDisk = try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/openapi.yaml", encoding: .utf8)
            #expect(onDisk == reply.text, "docs/openapi.yaml and the served document differ")
        }
    }
}

import CharterCore
import CharterPKI
import CharterTestSupport
import Foundation
import Testing
import CharterStorage

/// Who may connect and who the hub believes they are: only from the verified certificate.
@Suite(.serialized) struct IdentityTests {
    /// Writes `credential` as PEM files in the hub's temp dir and returns a client presenting it.
    func client(_ hub: LiveHub, presenting credential: IssuedCredential, name: String) throws -> HubClient {
        let certificate = hub.directory.appending("\(name).pem"), key = hub.directory.appending("\(name)-key.pem")
        try credential.certificatePEM().write(toFile: certificate, atomically: true, encoding: .utf8)
        try credential.privateKeyPEM().write(toFile: key, atomically: true, encoding: .utf8)
        return try HubClient(baseURL: hub.baseURL, caPath: hub.pki.caCertificatePath, certificatePath: certificate, keyPath: key)
    }

    @Test func whoamiComesFromTheCertificate() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            let reply = try await hub.client("d-lille").send(.GET, "/v1/whoami", headers: [("X-Member-Id", "d-lyon"), ("X-Forwarded-Client-Cert", "CN=brand")])
            #expect(reply.status == 200)
            let json = try reply.json()
            #expect(json["id"] as? String == "d-lille")
            #expect(json["kind"] as? String == "dealer")
            #expect(json["group"] as? String == "g-north")
            #expect(json["status"] as? String == "active")
        }
    }

    @Test func aConnectionWithoutAClientCertificateIsRefusedAtTheHandshake() async throws {
        try await LiveHub.with { hub in
            let anonymous = try HubClient(baseURL: hub.baseURL, caPath: hub.pki.caCertificatePath, certificatePath: nil, keyPath: nil)
            await #expect(throws: (any Error).self) { _ = try await anonymous.get("/v1/whoami") }
        }
    }

    @Test func aCertificateFromAForeignCAIsRefusedAtTheHandshake() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            let foreign = try CertificateAuthority.makeDevelopmentCA(commonName: "impostor CA")
            let impostor = try client(hub, presenting: foreign.issueMemberCertificate(memberID: "d-lille", kind: "dealer"), name: "impostor")
            await #expect(throws: (any Error).self) { _ = try await impostor.get("/v1/whoami") }
        }
    }

    @Test func aCASignedCertificateTheHubNeverRecordedIsRefused() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            let stray = try hub.pki.loadAuthority().issueMemberCertificate(memberID: "d-lille", kind: "dealer")
            let reply = try await client(hub, presenting: stray, name: "stray").get("/v1/whoami")
            #expect(reply.status == 401)
            #expect(try reply.errorCode() == "unauthenticated")
        }
    }

    @Test func revocationTakesEffectOnTheRunningHubWithinOneSecond() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            let dealer = try hub.client("d-lille")
            let http = dealer.makeHTTPClient()
            defer { _ = http.shutdown() }
            #expect(try await dealer.send(on: http, .GET, "/v1/whoami").status == 200)
            // Revoke through a second store, as `charterhub members revoke` does from another process.
            let cli = try SQLiteHubStore(dataDirectory: hub.directory.appending("data"))
            let revokedAt = ContinuousClock.now
            try await cli.revokeMember("d-lille", at: Date())
            var refused: Duration?
            while ContinuousClock.now - revokedAt < .seconds(2) {
                let reply = try await dealer.send(on: http, .GET, "/v1/whoami")
                if reply.status == 403 {
                    #expect(try reply.errorCode() == "member_revoked")
                    refused = ContinuousClock.now - revokedAt
                    break
                }
                try await Task.sleep(for: .milliseconds(25))
            }
            let elapsed = try #require(refused, "the revoked member was still served after 2 s")
            #expect(elapsed < .seconds(1), "revocation took \(elapsed)")
            // A fresh connection is refused too.
            #expect(try await dealer.get("/v1/whoami").status == 403)
        }
    }

    @Test func aDealerCannotForgeWhoEnteredARecord() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            try await hub.enroll("d-lyon", group: "g-south")
            let lyon = try hub.client("d-lyon")
            let forged = try await lyon.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "F-1", extra: ["enteredBy": "d-lille"]))
            #expect(forged.status == 400)
            #expect(try forged.errorCode() == "unknown_field")
            #expect(try (forged.json()["error"] as? [String: Any])?["field"] as? String == "enteredBy")
            let body = try JSONSerialization.data(withJSONObject: Fixtures.recordJSON(sourceRef: "F-2"))
            let onBehalf = try await lyon.send(.POST, "/v1/records", body: body, headers: [("Charter-On-Behalf-Of", "d-lille")])
            #expect(onBehalf.status == 400, "only the brand acts on behalf of a dealership")
            #expect(try onBehalf.errorCode() == "invalid_header")
            let created = try await lyon.send(.POST, "/v1/records", body: body, headers: [("X-Member-Id", "d-lille")])
            #expect(created.status == 201)
            #expect(try created.json()["enteredBy"] as? String == "d-lyon")
        }
    }

    @Test func curlWorksWithTheIssuedFilesAndFailsWithoutThem() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            let ok = try Curl.run([
                "--cacert", hub.pki.caCertificatePath, "--cert", hub.pki.memberCertificatePath("d-lille"),
                "--key", hub.pki.memberKeyPath("d-lille"), "https://localhost:\(hub.port)/v1/whoami",
            ])
            #expect(ok.status == 200)
            #expect(ok.body.contains("\"id\":\"d-lille\""))
            let refused = try Curl.run(["--cacert", hub.pki.caCertificatePath, "https://localhost:\(hub.port)/v1/whoami"])
            #expect(refused.exitCode != 0)
            #expect(refused.status == 0)
        }
    }
}

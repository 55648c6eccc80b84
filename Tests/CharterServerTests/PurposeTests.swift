import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// Purpose-bound access for the brand (C5), end to end on a live hub: the HTTP answer and the access-log
/// entry that evidences it.
@Suite struct PurposeTests {
    /// The vehicle-safety fields `warranty` and `recall` release.
    static let safetyFields: Set<String> = ["id", "visibility", "vin", "kind", "operationType", "mileageKm", "performedOn"]

    /// Enters a full record for `dealer` and returns its id.
    static func enter(_ hub: LiveHub, _ dealer: String, _ sourceRef: String, marketing: Bool = false) async throws -> String {
        let reply = try await hub.client(dealer).post("/v1/records", json: Fixtures.fullRecordJSON(sourceRef: sourceRef, shareWithinGroup: true, marketing: marketing))
        guard reply.status == 201, let id = try reply.json()["id"] as? String else { throw HubClient.Failure("not created: \(reply.status) \(reply.text)") }
        return id
    }

    static func clause(_ reply: HubClient.Reply) throws -> String? {
        (try reply.json()["error"] as? [String: Any])?["clause"] as? String
    }

    @Test func theBrandReadsOnlyUnderADeclaredPurpose() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let id = try await Self.enter(hub, "d-lille", "P-1")
            let brand = try hub.client("brand")

            let bare = try await brand.get("/v1/records/\(id)")
            #expect(bare.status == 403)
            #expect(try Self.clause(bare) == "C5")
            #expect(try Self.clause(try await brand.get("/v1/vehicles/VF3ABCDEF12345678/history")) == "C5")

            let unknown = try await brand.with(purpose: "curiosity").get("/v1/records/\(id)")
            #expect(unknown.status == 400)
            #expect(try unknown.errorCode() == "unknown_purpose")

            let warranty = try await brand.with(purpose: "warranty").get("/v1/records/\(id)")
            #expect(warranty.status == 200)
            #expect(Set(try warranty.json().keys) == Self.safetyFields)
            #expect(try warranty.json()["visibility"] as? String == "oem")

            let recall = try await brand.with(purpose: "recall").get("/v1/vehicles/VF3ABCDEF12345678/history")
            let views = try #require(try recall.json()["records"] as? [[String: Any]])
            #expect(views.count == 1)
            #expect(Set(views[0].keys) == Self.safetyFields)

            // A purpose that does not cover the use: warranty does not extract.
            let extraction = try await brand.with(purpose: "warranty").post("/v1/extractions", json: ["format": "ndjson", "dealer": "d-lille"])
            #expect(extraction.status == 403)
            #expect(try Self.clause(extraction) == "C5")

            let reads = try await hub.logged(AccessLogQuery(actor: "brand", action: "record.read", limit: 10))
            #expect(reads.map(\.decision) == [.deny, .deny, .allow])
            #expect(reads[0].clause == "C5" && reads[0].purpose == nil)
            #expect(reads[1].code == "unknown_purpose")
            #expect(reads[2].purpose == "warranty" && reads[2].clause == "C5")
            #expect(Set(reads[2].fields?["oem"] ?? []) == Self.safetyFields)
            #expect(try await hub.logged(AccessLogQuery(actor: "brand", action: "vehicle.history", decision: .allow, limit: 10)).map(\.purpose) == ["recall"])
        }
    }

    @Test func marketingActsOnlyInTheEnteringDealershipsName() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let agreed = try await Self.enter(hub, "d-lille", "M-1", marketing: true)
            let refused = try await Self.enter(hub, "d-lille", "M-2", marketing: false)
            let lyons = try await Self.enter(hub, "d-lyon", "M-3", marketing: true)
            let brand = try hub.client("brand")

            let anonymous = try await brand.with(purpose: "marketing_on_behalf").get("/v1/vehicles/VF3ABCDEF12345678/history")
            #expect(anonymous.status == 403)
            #expect(try Self.clause(anonymous) == "C5")

            let lille = brand.with(purpose: "marketing_on_behalf", onBehalfOf: "d-lille")
            let history = try await lille.get("/v1/vehicles/VF3ABCDEF12345678/history")
            #expect(history.status == 200)
            let views = try #require(try history.json()["records"] as? [[String: Any]])
            #expect(Set(views.compactMap { $0["id"] as? String }) == [agreed, refused], "only the records d-lille entered")
            #expect(views.first { $0["id"] as? String == agreed }?["customer"] != nil, "the customer agreed to marketing")
            #expect(views.first { $0["id"] as? String == refused }?["customer"] == nil, "the customer did not")

            let wrong = try await lille.get("/v1/records/\(lyons)")
            #expect(wrong.status == 403, "d-lyon's record, asked for in d-lille's name")
            #expect(try Self.clause(wrong) == "C5")
            #expect(!String(decoding: wrong.body, as: UTF8.self).contains("d-lyon"), "the refusal does not say who entered the record")
            #expect(try await brand.with(purpose: "marketing_on_behalf", onBehalfOf: "d-lyon").get("/v1/records/\(lyons)").status == 200)

            let stranger = try await brand.with(purpose: "marketing_on_behalf", onBehalfOf: "auditor").get("/v1/records/\(agreed)")
            #expect(stranger.status == 400)
            #expect(try stranger.errorCode() == "invalid_header")

            let released = try #require(try await hub.logged(AccessLogQuery(actor: "brand", action: "vehicle.history", decision: .allow, limit: 10)).first)
            #expect(released.onBehalfOf == "d-lille" && released.purpose == "marketing_on_behalf" && released.target?.dealer == "d-lille")
            #expect(Set(released.target?.recordIds ?? []) == [agreed, refused])
            let denied = try await hub.logged(AccessLogQuery(actor: "brand", action: "record.read", decision: .deny, limit: 10))
            #expect(denied.contains { $0.onBehalfOf == "d-lille" && $0.clause == "C5" && $0.target?.dealer == "d-lyon" })
        }
    }

    @Test func dealershipsWorkUnderTheirDefaultPurposeAndCannotBorrowTheBrands() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let id = try await Self.enter(hub, "d-lille", "D-1")
            let lyon = try hub.client("d-lyon")
            #expect(try await lyon.get("/v1/records/\(id)").status == 200)
            let borrowed = try await lyon.with(purpose: "warranty").get("/v1/records/\(id)")
            #expect(borrowed.status == 403)
            #expect(try Self.clause(borrowed) == "C5")
            let reads = try await hub.logged(AccessLogQuery(actor: "d-lyon", action: "record.read", limit: 10))
            #expect(reads.map(\.purpose) == ["dealer_exchange", "warranty"])
            #expect(reads.map(\.decision) == [.allow, .deny])

            // On every route, not only the purpose-gated ones: nothing is served or logged under a purpose
            // its caller cannot hold.
            for (member, path) in [("d-lyon", "/v1/whoami"), ("auditor", "/v1/audit/checkpoint")] {
                let refused = try await hub.client(member).with(purpose: "warranty").get(path)
                #expect(refused.status == 403, "\(member) \(path)")
                #expect(try Self.clause(refused) == "C5")
            }
            #expect(try await hub.logged(AccessLogQuery(actor: "auditor", decision: .allow, limit: 10)).allSatisfy { $0.purpose != "warranty" })
        }
    }

    /// A revoked dealership has left the network: the brand acts in its name no more.
    @Test func nothingIsDoneInARevokedDealershipsName() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let id = try await Self.enter(hub, "d-lyon", "R-1", marketing: true)
            let inLyonsName = try hub.client("brand").with(purpose: "marketing_on_behalf", onBehalfOf: "d-lyon")
            #expect(try await inLyonsName.get("/v1/records/\(id)").status == 200)
            try await hub.store.revokeMember("d-lyon", at: Date())
            try await hub.waitForDirectory { $0.members["d-lyon"]?.status == .revoked }
            let refused = try await inLyonsName.get("/v1/records/\(id)")
            #expect(refused.status == 400)
            #expect(try refused.errorCode() == "invalid_header")
        }
    }
}

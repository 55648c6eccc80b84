import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// The sale of a dealership (C6, C7, C8) end to end on a live hub: the lifecycle, the pending-sale lock,
/// the takeover's re-filtering, the departed dealership's extraction-only certificate, and the transfer
/// to a custodian. Each clause is checked on the HTTP answer and on its access-log entry.
@Suite struct DealerSaleTests {
    static let vin = "VF3ABCDEF12345678"

    static func sale(_ client: HubClient, _ dealer: String, _ body: [String: Any]) async throws -> HubClient.Reply {
        try await client.post("/v1/dealers/\(dealer)/sale", json: body)
    }

    static func open(_ hub: LiveHub, _ dealer: String, network group: String? = nil) async throws {
        var buyer: [String: Any] = ["name": "Buyer SAS", "networkMember": group != nil]
        if let group { buyer["group"] = group }
        let reply = try await sale(hub.client("brand"), dealer, ["action": "open", "buyer": buyer])
        guard reply.status == 200 else { throw HubClient.Failure("open: \(reply.status) \(reply.text)") }
    }

    static func conclude(_ hub: LiveHub, _ dealer: String) async throws {
        let reply = try await sale(hub.client("brand"), dealer, ["action": "conclude"])
        guard reply.status == 200 else { throw HubClient.Failure("conclude: \(reply.status) \(reply.text)") }
    }

    static func error(_ reply: HubClient.Reply) throws -> [String: Any] {
        try reply.json()["error"] as? [String: Any] ?? [:]
    }

    @Test func theLifecycleRecordsEveryTransitionAndRefusesInvalidOnes() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let brand = try hub.client("brand")
            let early = try await Self.sale(brand, "d-lille", ["action": "conclude"])
            #expect(early.status == 409)
            #expect(try early.errorCode() == "invalid_transition")

            let noGroup = try await Self.sale(brand, "d-lille", ["action": "open", "buyer": ["name": "X", "networkMember": true]])
            #expect(noGroup.status == 422)
            #expect(try Self.error(noGroup)["field"] as? String == "buyer.group")
            let unknownGroup = try await Self.sale(brand, "d-lille", ["action": "open", "buyer": ["name": "X", "networkMember": true, "group": "g-nowhere"]])
            #expect(unknownGroup.status == 422)
            #expect(try await Self.sale(brand, "d-nowhere", ["action": "cancel"]).status == 404)
            #expect(try await Self.sale(hub.client("d-lyon"), "d-lille", ["action": "cancel"]).status == 403, "dealers do not record sales")

            try await Self.open(hub, "d-lille")
            #expect(try await Self.sale(brand, "d-lille", ["action": "open", "buyer": ["name": "Y", "networkMember": false]]).status == 409)
            let cancelled = try await Self.sale(brand, "d-lille", ["action": "cancel"])
            #expect(cancelled.status == 200)
            #expect(try cancelled.json()["status"] as? String == "active")

            let own = try await hub.client("d-lille").get("/v1/dealers/d-lille")
            #expect(own.status == 200)
            let history = try #require(try own.json()["history"] as? [[String: Any]])
            #expect(history.map { $0["action"] as? String } == ["open", "cancel"])
            #expect(history.map { $0["to"] as? String } == ["sale_pending", "active"])
            #expect((history[0]["buyer"] as? [String: Any])?["name"] as? String == "Buyer SAS")
            #expect(try await hub.client("d-lyon").get("/v1/dealers/d-lille").status == 403, "another dealership's sale is not its business")
            #expect(try await hub.client("auditor").get("/v1/dealers/d-lille").status == 200)

            let logged = try await hub.logged(AccessLogQuery(dealer: "d-lille", limit: 50)).filter { $0.action.hasPrefix("dealer.sale.") }
            #expect(logged.map(\.action) == ["dealer.sale.conclude", "dealer.sale.open", "dealer.sale.open", "dealer.sale.open", "dealer.sale.cancel"])
            #expect(logged.map(\.decision) == [.deny, .deny, .allow, .deny, .allow])
            #expect(logged.map(\.code) == ["invalid_transition", "invalid_record", nil, "invalid_transition", nil])
            #expect(logged[2].clause == "C8" && logged[2].target?.saleStatus == "sale_pending" && logged[2].actor == "brand")
            #expect(logged[4].clause == "C8" && logged[4].target?.saleStatus == "active")
        }
    }

    @Test func whileASaleIsPendingTheBrandMayNeitherResellNorGiveAwayNorTransfer() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let id = try await PurposeTests.enter(hub, "d-lille", "S-1")
            try await Self.open(hub, "d-lille")
            let brand = try hub.client("brand")
            for purpose in ["resale", "third_party_share"] {
                let read = try await brand.with(purpose: purpose).get("/v1/records/\(id)")
                #expect(read.status == 403)
                #expect(try Self.error(read)["clause"] as? String == "C8", "\(purpose) on a record")
                let history = try await brand.with(purpose: purpose).get("/v1/vehicles/\(Self.vin)/history")
                #expect(try Self.error(history)["clause"] as? String == "C8", "\(purpose) on a history")
                // Which dealership entered the data is a field these purposes do not release.
                for refusal in [read, history] { #expect(!(try Self.error(refusal)["message"] as? String ?? "").contains("d-lille")) }
            }
            let transfer = try await brand.with(purpose: "network_transfer").post("/v1/transfers", json: ["from": "d-lille", "to": "d-lyon"])
            #expect(transfer.status == 403)
            #expect(try Self.error(transfer)["clause"] as? String == "C8")
            // Everyday work goes on: the brand's warranty reads, the dealership's own writes and reads.
            #expect(try await brand.with(purpose: "warranty").get("/v1/records/\(id)").status == 200)
            let lille = try hub.client("d-lille")
            #expect(try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "S-2")).status == 201)
            #expect(try await lille.get("/v1/records/\(id)").status == 200)

            let denied = try await hub.logged(AccessLogQuery(actor: "brand", decision: .deny, limit: 20))
            #expect(denied.filter { $0.clause == "C8" }.map(\.purpose) == ["resale", "resale", "third_party_share", "third_party_share", "network_transfer"])
            #expect(denied.filter { $0.action == "record.read" }.allSatisfy { $0.target?.dealer == "d-lille" })

            // Once the sale is called off, the lock lifts: resale is refused by the policy (C5), transfer by C7.
            #expect(try await Self.sale(brand, "d-lille", ["action": "cancel"]).status == 200)
            #expect(try Self.error(try await brand.with(purpose: "resale").get("/v1/records/\(id)"))["clause"] as? String == "C5")
            let after = try await brand.with(purpose: "network_transfer").post("/v1/transfers", json: ["from": "d-lille", "to": "d-lyon"])
            #expect(try Self.error(after)["clause"] as? String == "C7")
        }
    }

    @Test func aTakeoverRecomputesEveryRelationFromTheNextRequest() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let lilles = try await PurposeTests.enter(hub, "d-lille", "T-1")
            let roubaixs = try await PurposeTests.enter(hub, "d-roubaix", "T-2")
            let lyons = try await PurposeTests.enter(hub, "d-lyon", "T-3")
            func visibility(_ reader: String, _ id: String) async throws -> String? {
                try await hub.client(reader).get("/v1/records/\(id)").json()["visibility"] as? String
            }
            #expect(try await visibility("d-roubaix", lilles) == "same_group")
            #expect(try await visibility("d-lyon", lilles) == "cross_group")

            try await Self.open(hub, "d-lille", network: "g-south")
            try await Self.conclude(hub, "d-lille")
            // Former group-mates now see each other across groups, in both directions.
            #expect(try await visibility("d-roubaix", lilles) == "cross_group")
            #expect(try await visibility("d-lille", roubaixs) == "cross_group")
            // New group-mates see each other as a group, in both directions, customer included with consent.
            #expect(try await visibility("d-lyon", lilles) == "same_group")
            #expect(try await visibility("d-lille", lyons) == "same_group")
            #expect(try await hub.client("d-lyon").get("/v1/records/\(lilles)").json()["customer"] != nil)
            #expect(try await hub.client("d-roubaix").get("/v1/records/\(lilles)").json()["customer"] == nil)

            let whoami = try await hub.client("d-lille").get("/v1/whoami").json()
            #expect(whoami["group"] as? String == "g-south")
            #expect(whoami["saleStatus"] as? String == "sold_to_network")
            let concluded = try #require(try await hub.logged(AccessLogQuery(action: "dealer.sale.conclude", limit: 5)).first)
            #expect(concluded.target?.group == "g-south" && concluded.target?.saleStatus == "sold_to_network" && concluded.clause == "C3")
            let reads = try await hub.logged(AccessLogQuery(actor: "d-lyon", action: "record.read", limit: 10))
            #expect(reads.compactMap { $0.fields?.keys.first } == ["cross_group", "same_group", "same_group"])
        }
    }

    @Test func aDealershipSoldOutOfTheNetworkKeepsOnlyItsExtraction() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let lilles = [try await PurposeTests.enter(hub, "d-lille", "O-1"), try await PurposeTests.enter(hub, "d-lille", "O-2")]
            let roubaixs = try await PurposeTests.enter(hub, "d-roubaix", "O-3")
            try await Self.open(hub, "d-lille")
            try await Self.conclude(hub, "d-lille")

            let lille = try hub.client("d-lille")
            for reply in [
                try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "O-4")),
                try await lille.get("/v1/records/\(roubaixs)"),
                try await lille.get("/v1/records/\(lilles[0])"),
                try await lille.get("/v1/vehicles/\(Self.vin)/history"),
            ] {
                #expect(reply.status == 403)
                #expect(try Self.error(reply)["clause"] as? String == "C6", "\(reply.text)")
            }
            // Its extraction right stays, for everything it entered up to the sale.
            let extraction = try await lille.extract(["format": "ndjson"])
            #expect((extraction["manifest"] as? [String: Any])?["recordCount"] as? Int == 2)
            let content = try await lille.get(try #require(extraction["content"] as? String))
            #expect(content.status == 200)
            #expect(content.text.split(separator: "\n").count == 2)
            // The brand keeps the data it holds; the network keeps what it saw.
            #expect(try await hub.client("brand").with(purpose: "warranty").get("/v1/records/\(lilles[0])").status == 200)
            #expect(try await hub.client("d-roubaix").get("/v1/records/\(lilles[0])").status == 200)

            let refusals = try await hub.logged(AccessLogQuery(actor: "d-lille", decision: .deny, limit: 10))
            #expect(refusals.map(\.action) == ["record.create", "record.read", "record.read", "vehicle.history"])
            #expect(refusals.allSatisfy { $0.clause == "C6" })
            let concluded = try #require(try await hub.logged(AccessLogQuery(action: "dealer.sale.conclude", limit: 5)).first)
            #expect(concluded.clause == "C6" && concluded.target?.saleStatus == "sold_out_of_network")
        }
    }

    @Test func theBrandTransfersASoldDealershipsRecordsOnlyAfterTheSaleConcludes() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            var lilles: [String] = []
            for index in 0..<3 { lilles.append(try await PurposeTests.enter(hub, "d-lille", "X-\(index)")) }
            let brand = try hub.client("brand")
            let transfer = brand.with(purpose: "network_transfer")
            func post(_ client: HubClient, to: String = "d-lyon") async throws -> HubClient.Reply {
                try await client.post("/v1/transfers", json: ["from": "d-lille", "to": to])
            }
            let active = try await post(transfer)
            #expect(active.status == 403)
            #expect(try Self.error(active)["clause"] as? String == "C7")
            #expect(try Self.error(active)["field"] as? String == "from")

            try await Self.open(hub, "d-lille")
            #expect(try Self.error(try await post(transfer))["clause"] as? String == "C8")
            try await Self.conclude(hub, "d-lille")

            #expect(try Self.error(try await post(brand))["clause"] as? String == "C5", "no purpose")
            #expect(try Self.error(try await post(brand.with(purpose: "warranty")))["clause"] as? String == "C5", "a purpose that does not transfer")
            let toAuditor = try await post(transfer, to: "auditor")
            #expect(toAuditor.status == 403)
            #expect(try Self.error(toAuditor)["field"] as? String == "to")
            #expect(try await post(transfer, to: "d-lille").status == 403)
            #expect(try Self.error(try await post(hub.client("d-lyon").with(purpose: "network_transfer")))["clause"] as? String == "C7", "only the brand transfers")

            let done = try await post(transfer)
            #expect(done.status == 201)
            #expect((try done.json()["custody"] as? [String: Any])?["recordCount"] as? Int == 3)
            #expect(try await post(transfer).status == 200, "the same transfer again is a replay")
            let elsewhere = try await post(transfer, to: "d-roubaix")
            #expect(elsewhere.status == 409)
            #expect(try elsewhere.errorCode() == "already_transferred")

            // The custodian keeps the customer link: everything but notes, the customer where consent allows.
            let kept = try await hub.client("d-lyon").get("/v1/records/\(lilles[0])").json()
            #expect(kept["visibility"] as? String == "custodian")
            #expect(kept["customer"] != nil && kept["amount"] != nil && kept["notes"] == nil)
            #expect(try await hub.client("d-roubaix").get("/v1/records/\(lilles[0])").json()["visibility"] as? String == "same_group")
            let standing = try await hub.client("d-lyon").get("/v1/dealers/d-lyon").json()
            #expect((standing["custodianOf"] as? [[String: Any]])?.first?["dealer"] as? String == "d-lille")

            let logged = try await hub.logged(AccessLogQuery(action: "transfer.create", limit: 20))
            let allowed = try #require(logged.first { $0.decision == .allow })
            #expect(allowed.clause == "C7" && allowed.purpose == "network_transfer")
            #expect(allowed.target?.dealer == "d-lille" && allowed.target?.custodian == "d-lyon" && allowed.target?.recordCount == 3)
            #expect(logged.filter { $0.decision == .deny }.compactMap(\.clause) == ["C7", "C8", "C5", "C5", "C7", "C7", "C7", "C7"])
        }
    }

    @Test func theOperatorRecordsASaleFromTheConsoleAndTheRunningHubFollows() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let opened = try CommandLineTool.run(["sales", "open", "d-lille", "--buyer", "Nord Auto", "--network-member", "--group", "g-south"] + hub.commandLineOptions)
            #expect(opened.exitCode == 0, "\(opened.output)")
            #expect(opened.output.contains("active → sale_pending"))
            let again = try CommandLineTool.run(["sales", "open", "d-lille", "--buyer", "Other"] + hub.commandLineOptions)
            #expect(again.exitCode != 0)
            #expect(again.output.contains("invalid_transition"), "\(again.output)")
            #expect(try CommandLineTool.run(["sales", "conclude", "d-lille"] + hub.commandLineOptions).exitCode == 0)
            try await hub.waitForDirectory { $0.members["d-lille"]?.group == "g-south" }
            #expect(try await hub.client("d-lille").get("/v1/whoami").json()["saleStatus"] as? String == "sold_to_network")
            let shown = try CommandLineTool.run(["sales", "show", "d-lille"] + hub.commandLineOptions)
            #expect(shown.output.contains("\"sold_to_network\""))
            let logged = try await hub.logged(AccessLogQuery(dealer: "d-lille", limit: 20)).filter { $0.action.hasPrefix("dealer.sale.") }
            #expect(logged.map(\.decision) == [.allow, .deny, .allow])
            #expect(logged.allSatisfy { $0.actor.hasPrefix("local:") })
        }
    }
}

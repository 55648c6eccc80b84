import CharterCore
@testable import CharterServer
import CharterTestSupport
import Foundation
import Testing

/// Ingest and reads over the live API, with the charter's field sets checked exactly.
@Suite(.serialized) struct RecordAPITests {
    func keys(_ record: Any?) -> Set<String> {
        Set((record as? [String: Any])?.keys.map { $0 } ?? [])
    }

    @Test func ownSameGroupAndCrossGroupViewsHaveExactlyTheCharterFields() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let full = Fixtures.fullRecordJSON(sourceRef: "V-1", shareWithinGroup: true)
            let created = try await hub.client("d-lille").post("/v1/records", json: full)
            #expect(created.status == 201)
            let id = try #require(try created.json()["id"] as? String)
            let present = RandomNetwork.presentFields(full)
            #expect(keys(try created.json()) == present)

            for (reader, relation) in [("d-lille", Relation.own), ("d-roubaix", .sameGroup), ("d-lyon", .crossGroup)] {
                let expected = Fixtures.expectedFields(relation: relation, present: present, shareWithinGroup: true)
                let single = try await hub.client(reader).get("/v1/records/\(id)")
                #expect(single.status == 200)
                #expect(keys(try single.json()) == expected, "\(reader) reading one record")
                #expect(try single.json()["visibility"] as? String == relation.rawValue)
                let history = try await hub.client(reader).get("/v1/vehicles/VF3ABCDEF12345678/history")
                let records = try #require(try history.json()["records"] as? [Any])
                #expect(records.count == 1)
                #expect(keys(records.first) == expected, "\(reader) reading the history")
            }
            let crossGroup = try await hub.client("d-lyon").get("/v1/records/\(id)").json()
            #expect(Set(crossGroup.keys) == ["id", "visibility", "vin", "mileageKm", "operationType"])
        }
    }

    @Test func sameGroupDoesNotSeeTheCustomerWithoutConsent() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let created = try await hub.client("d-lille").post("/v1/records", json: Fixtures.fullRecordJSON(sourceRef: "V-2", shareWithinGroup: false))
            let id = try #require(try created.json()["id"] as? String)
            let view = try await hub.client("d-roubaix").get("/v1/records/\(id)").json()
            #expect(view["customer"] == nil)
            #expect(view["notes"] == nil)
            #expect(view["amount"] != nil)
        }
    }

    @Test func theBrandAndAuditorsGetForbiddenWithTheClause() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let created = try await hub.client("d-lille").post("/v1/records", json: Fixtures.recordJSON(sourceRef: "V-3"))
            let id = try #require(try created.json()["id"] as? String)
            for (member, clause) in [("brand", "C5"), ("auditor", "C1")] {
                for path in ["/v1/records/\(id)", "/v1/vehicles/VF3ABCDEF12345678/history", "/v1/records/rec_missing"] {
                    let reply = try await hub.client(member).get(path)
                    #expect(reply.status == 403, "\(member) \(path)")
                    let error = try reply.json()["error"] as? [String: Any]
                    #expect(error?["code"] as? String == "forbidden")
                    #expect(error?["clause"] as? String == clause)
                }
            }
            let post = try await hub.client("brand").post("/v1/records", json: Fixtures.recordJSON(sourceRef: "B-1"))
            #expect(post.status == 403)
        }
    }

    @Test func replayIsIdempotentAndAReusedSourceRefConflicts() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let lille = try hub.client("d-lille")
            let first = try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "R-1"))
            #expect(first.status == 201)
            let replay = try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "R-1"))
            #expect(replay.status == 200)
            #expect(try replay.json()["id"] as? String == (try first.json()["id"] as? String))
            let conflict = try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "R-1", extra: ["mileageKm": 1]))
            #expect(conflict.status == 409)
            #expect(try conflict.errorCode() == "duplicate_conflict")
            #expect(try (conflict.json()["error"] as? [String: Any])?["field"] as? String == "sourceRef")
            let history = try await lille.get("/v1/vehicles/VF3ABCDEF12345678/history").json()
            #expect((history["records"] as? [Any])?.count == 1)
        }
    }

    @Test func aBatchCommitsValidLinesReportsEveryLineAndReplaysSafely() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let lines = [
                String(decoding: Fixtures.data(Fixtures.recordJSON(sourceRef: "B-1")), as: UTF8.self),
                "{not json",
                "",
                String(decoding: Fixtures.data(Fixtures.recordJSON(sourceRef: "B-2", extra: ["notes": "client homosexuel"])), as: UTF8.self),
                String(decoding: Fixtures.data(Fixtures.recordJSON(sourceRef: "B-3", vin: "VF3ABCDEF1234567O")), as: UTF8.self),
                String(decoding: Fixtures.data(Fixtures.recordJSON(sourceRef: "B-1", extra: ["mileageKm": 5])), as: UTF8.self),
                String(decoding: Fixtures.data(Fixtures.recordJSON(sourceRef: "B-4")), as: UTF8.self),
            ]
            let body = Data(lines.joined(separator: "\n").utf8)
            let lille = try hub.client("d-lille")
            let reply = try await lille.send(.POST, "/v1/records/batch", body: body, contentType: "application/x-ndjson")
            #expect(reply.status == 200)
            let json = try reply.json()
            #expect(json["accepted"] as? Int == 2)
            #expect(json["rejected"] as? Int == 4)
            let results = try #require(json["results"] as? [[String: Any]])
            #expect(results.map { $0["line"] as? Int } == [1, 2, 4, 5, 6, 7])
            #expect(results.map { $0["status"] as? String } == ["created", "rejected", "rejected", "rejected", "rejected", "created"])
            #expect(results.compactMap { ($0["error"] as? [String: Any])?["code"] as? String } == ["invalid_json", "forbidden_data", "invalid_vin", "duplicate_conflict"])

            let retry = try await lille.send(.POST, "/v1/records/batch", body: body, contentType: "application/x-ndjson").json()
            let retried = try #require(retry["results"] as? [[String: Any]])
            #expect(retried.compactMap { $0["status"] as? String }.filter { $0 == "replayed" }.count == 2)
            #expect(retried.first?["id"] as? String == results.first?["id"] as? String)
            let history = try await lille.get("/v1/vehicles/VF3ABCDEF12345678/history").json()
            #expect((history["records"] as? [Any])?.count == 2)
        }
    }

    @Test func aLargeBatchAnswersEveryLineInOrder() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            // 3,000 lines, read in three slices: every 97th is broken, every 400th blank (skipped, not
            // answered), and line 2,600 is over the size of one record.
            let oversized = 2_600
            let lines = (1...3_000).map { number -> String in
                if number % 97 == 0 { return "{broken \(number)" }
                if number % 400 == 0 && number != oversized { return "" }
                let notes = number == oversized ? String(repeating: "x", count: HubLimits.recordBytes) : "line \(number)"
                return String(decoding: Fixtures.data(Fixtures.recordJSON(sourceRef: "L-\(number)", extra: ["notes": notes])), as: UTF8.self)
            }
            #expect(lines.count > 2 * RecordController.linesPerSlice)
            let reply = try await hub.client("d-lille").send(.POST, "/v1/records/batch", body: Data(lines.joined(separator: "\n").utf8), contentType: "application/x-ndjson")
            #expect(reply.status == 200)
            let results = try #require(try reply.json()["results"] as? [[String: Any]])
            let expected = (1...3_000).filter { $0 % 400 != 0 || $0 % 97 == 0 || $0 == oversized }
            #expect(results.map { $0["line"] as? Int } == expected)
            #expect(results.map { $0["status"] as? String } == expected.map { $0 % 97 == 0 || $0 == oversized ? "rejected" : "created" })
            let codes = results.compactMap { ($0["error"] as? [String: Any])?["code"] as? String }
            #expect(codes.filter { $0 == "payload_too_large" }.count == 1 && codes.filter { $0 == "invalid_json" }.count == 3_000 / 97)
            // Each accepted line became the record it carried.
            let created = results.filter { $0["status"] as? String == "created" }
            let first = try #require(created.first?["id"] as? String), last = try #require(created.last?["id"] as? String)
            #expect(try await hub.client("d-lille").get("/v1/records/\(first)").json()["sourceRef"] as? String == "L-1")
            #expect(try await hub.client("d-lille").get("/v1/records/\(last)").json()["sourceRef"] as? String == "L-3000")
        }
    }

    @Test func limitsAndBadInputGetClearJSONErrors() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let lille = try hub.client("d-lille")
            let huge = Fixtures.recordJSON(sourceRef: "L-1", extra: ["notes": String(repeating: "a", count: 70_000)])
            let tooLarge = try await lille.post("/v1/records", json: huge)
            #expect(tooLarge.status == 413)
            #expect(try tooLarge.errorCode() == "payload_too_large")

            // A chunked body declares no length; it is refused as it outgrows the limit, with the same answer.
            let hugeFile = hub.directory.appending("huge.json")
            try Fixtures.data(huge).write(to: URL(fileURLWithPath: hugeFile))
            let chunked = try Curl.run([
                "--cacert", hub.pki.caCertificatePath, "--cert", hub.pki.memberCertificatePath("d-lille"), "--key", hub.pki.memberKeyPath("d-lille"),
                "-H", "Content-Type: application/json", "-H", "Transfer-Encoding: chunked", "--data-binary", "@\(hugeFile)",
                "\(hub.baseURL)/v1/records",
            ])
            #expect(chunked.status == 413)
            #expect(chunked.body.contains("\"code\":\"payload_too_large\""), "\(chunked.body)")
            let refusals = try await hub.logged(AccessLogQuery(actor: "d-lille", action: "record.create", decision: .deny, limit: 10))
            #expect(refusals.filter { $0.code == "payload_too_large" }.count == 2, "both refusals are in the access log")

            let wrongType = try await lille.send(.POST, "/v1/records", body: Fixtures.data(Fixtures.recordJSON()), contentType: "text/plain")
            #expect(wrongType.status == 415)

            let tooMany = String(repeating: "{}\n", count: 10_001)
            let batch = try await lille.send(.POST, "/v1/records/batch", body: Data(tooMany.utf8), contentType: "application/x-ndjson")
            #expect(batch.status == 413)
            #expect(try batch.errorCode() == "payload_too_large")

            let badVIN = try await lille.get("/v1/vehicles/NOT-A-VIN/history")
            #expect(badVIN.status == 400)
            #expect(try badVIN.errorCode() == "invalid_vin")
            // A VIN with one character too many is refused, and its refusal names no vehicle: cut to 17
            // characters it would be a valid VIN nobody asked for.
            let longVIN = try await lille.get("/v1/vehicles/VF3ABCDEF12345678X/history")
            #expect(try longVIN.errorCode() == "invalid_vin")
            let refusedReads = try await hub.logged(AccessLogQuery(actor: "d-lille", action: "vehicle.history", decision: .deny, limit: 10))
            #expect(refusedReads.count == 2 && refusedReads.allSatisfy { $0.target?.vin == nil })

            let unknownVIN = try await lille.get("/v1/vehicles/VF3ZZZZZZ12345678/history").json()
            #expect((unknownVIN["records"] as? [Any])?.isEmpty == true)

            let missing = try await lille.get("/v1/records/rec_nope")
            #expect(missing.status == 404)
            #expect(try missing.errorCode() == "not_found")

            let noRoute = try await lille.get("/v2/anything")
            #expect(noRoute.status == 404)
            #expect(noRoute.contentType?.hasPrefix("application/json") == true)

            let forbidden = try await lille.post("/v1/records", json: Fixtures.recordJSON(extra: ["customer": ["ref": "C", "religion": "x", "consent": ["shareWithinGroup": true, "marketing": true]]]))
            #expect(forbidden.status == 422)
            let error = try #require(try forbidden.json()["error"] as? [String: Any])
            #expect(error["code"] as? String == "forbidden_data")
            #expect(error["clause"] as? String == "D2")
            #expect(error["field"] as? String == "customer.religion")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
    }

    /// Random records from dealers of several groups; every dealer reads every history and each record
    /// must hold exactly its relation's fields.
    @Test func randomRecordsNeverLeakAcrossGroups() async throws {
        try await LiveHub.with { hub in
            var network = RandomNetwork(seed: 7, groupCount: 3, dealerCount: 6)
            for dealer in network.dealers { try await hub.enroll(dealer.id, group: dealer.group) }
            let vins = ["VF3AAAAAA00000001", "VF3AAAAAA00000002", "VF3AAAAAA00000003"]
            var written: [String: (owner: Member, present: Set<String>, share: Bool)] = [:]
            for index in 0..<36 {
                let owner = network.dealer()
                let (json, share) = network.recordJSON(sourceRef: "P-\(index)", vin: vins[index % vins.count])
                let reply = try await hub.client(owner.id).post("/v1/records", json: json)
                #expect(reply.status == 201)
                let id = try #require(try reply.json()["id"] as? String)
                written[id] = (owner, RandomNetwork.presentFields(json), share)
            }
            var checked = 0
            for reader in network.dealers {
                let client = try hub.client(reader.id)
                for vin in vins {
                    let records = try #require(try await client.get("/v1/vehicles/\(vin)/history").json()["records"] as? [[String: Any]])
                    for record in records {
                        let id = try #require(record["id"] as? String)
                        let entry = try #require(written[id])
                        let relation = FieldFilter.relation(of: reader, toOwner: entry.owner.id, ownerGroup: entry.owner.group)
                        #expect(Set(record.keys) == Fixtures.expectedFields(relation: relation, present: entry.present, shareWithinGroup: entry.share))
                        checked += 1
                    }
                }
            }
            #expect(checked == 36 * network.dealers.count)
        }
    }
}

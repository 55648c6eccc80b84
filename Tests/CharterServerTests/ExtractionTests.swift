import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// Extraction on demand (C4) over the live API: completeness, rights, corrections, Range resumption,
/// the access log, and offline verification with the real `charterhub extract verify`.
@Suite(.serialized) struct ExtractionTests {
    /// `count` distinct records of `dealer`, sent in batches.
    func seed(_ hub: LiveHub, _ dealer: String, count: Int, prefix: String = "S") async throws {
        let client = try hub.client(dealer)
        for start in stride(from: 0, to: count, by: 5_000) {
            try await client.batch((start..<min(count, start + 5_000)).map { index in
                Fixtures.recordJSON(sourceRef: "\(prefix)-\(index)", extra: ["mileageKm": index])
            })
        }
    }

    /// Runs the real `charterhub extract verify` on `contentFile` against `manifest` (a status body or a bare manifest).
    func verifyOffline(_ hub: LiveHub, _ contentFile: String, manifest: [String: Any], verifierKey: String) throws -> CommandLineTool.Result {
        let manifestFile = hub.directory.appending("manifest.json")
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestFile))
        return try CommandLineTool.run(["extract", "verify", contentFile, "--manifest", manifestFile, "--verifier-key", verifierKey])
    }

    func manifest(_ status: [String: Any]) throws -> [String: Any] {
        try #require(status["manifest"] as? [String: Any])
    }

    @Test func anExtractionOfNRecordsHoldsExactlyNLinesWithAMatchingChecksum() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            try await seed(hub, "d-lille", count: 4_500)
            try await seed(hub, "d-lyon", count: 10, prefix: "OTHER")
            let dealer = try hub.client("d-lille")
            let status = try await dealer.extract(["format": "ndjson"])
            let manifest = try manifest(status)
            let content = try await dealer.get(try #require(status["content"] as? String))
            #expect(content.status == 200)
            #expect(content.contentType == "application/x-ndjson")
            let lines = content.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == 4_500)
            #expect(content.text.hasSuffix("\n"))
            #expect(manifest["recordCount"] as? Int == 4_500)
            #expect(manifest["versionCount"] as? Int == 4_500)
            #expect(manifest["bytes"] as? Int == content.body.count)
            #expect(manifest["sha256"] as? String == StoredRecord.contentHash(content.body))
            #expect(manifest["dealer"] as? String == "d-lille")
            #expect(manifest["policyHash"] as? String == hub.server.policy.hash)
            // Full fields: it is the dealer's own data, every line its own, nothing of d-lyon.
            let refs = Set(try lines.map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["enteredBy"] as? String == "d-lille")
                #expect(object["version"] as? Int == 1)
                #expect(object["supersedes"] == nil)
                #expect(object["recordedAt"] is String)
                return try #require(object["sourceRef"] as? String)
            })
            #expect(refs == Set((0..<4_500).map { "S-\($0)" }))
        }
    }

    @Test func theSignedManifestVerifiesOfflineAndATamperedContentIsNamed() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            try await seed(hub, "d-lille", count: 30)
            let dealer = try hub.client("d-lille")
            let status = try await dealer.extract(["format": "ndjson"])
            let content = try await dealer.get(try #require(status["content"] as? String)).body
            let verifierKey = try #require(status["verifierKey"] as? String)
            let contentFile = hub.directory.appending("content.ndjson")
            try content.write(to: URL(fileURLWithPath: contentFile))

            let verified = try verifyOffline(hub, contentFile, manifest: status, verifierKey: verifierKey)
            #expect(verified.exitCode == 0, "\(verified.output)")
            #expect(verified.output.hasPrefix("OK: 30 records, 30 versions"))

            var tampered = content
            tampered[tampered.count / 2] ^= 0x01
            try tampered.write(to: URL(fileURLWithPath: contentFile))
            let failed = try verifyOffline(hub, contentFile, manifest: status, verifierKey: verifierKey)
            #expect(failed.exitCode == 1)
            #expect(failed.output.hasPrefix("FAIL:"), "\(failed.output)")

            // A manifest whose count was raised no longer carries a valid signature.
            var forged = try manifest(status)
            forged["recordCount"] = 31
            try content.write(to: URL(fileURLWithPath: contentFile))
            let forgery = try verifyOffline(hub, contentFile, manifest: forged, verifierKey: verifierKey)
            #expect(forgery.exitCode == 1)
            #expect(forgery.output.contains("signature"), "\(forgery.output)")
        }
    }

    @Test func anotherDealerWhateverItsGroupIsRefusedAndTheRefusalLogged() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            try await seed(hub, "d-lille", count: 3)
            let own = try await hub.client("d-lille").extract(["format": "csv"])
            let id = try #require(own["id"] as? String)
            for other in ["d-roubaix", "d-lyon"] {
                let client = try hub.client(other)
                let asked = try await client.post("/v1/extractions", json: ["format": "ndjson", "dealer": "d-lille"])
                #expect(asked.status == 403, "\(other)")
                #expect(try asked.errorCode() == "forbidden")
                #expect((try asked.json()["error"] as? [String: Any])?["clause"] as? String == "C4")
                #expect(try await client.get("/v1/extractions/\(id)").status == 403)
                #expect(try await client.get("/v1/extractions/\(id)/content").status == 403)
            }
            let auditor = try await hub.client("auditor").post("/v1/extractions", json: ["format": "ndjson", "dealer": "d-lille"])
            #expect(auditor.status == 403)
            let actors = try await hub.logged(AccessLogQuery(action: "extraction.request", decision: .deny, limit: 10)).map(\.actor)
            #expect(actors == ["d-roubaix", "d-lyon", "auditor"])
            let downloads = try await hub.store.logEntries(AccessLogQuery(action: "extraction.download", decision: .deny, limit: 10))
            #expect(downloads.count == 2)
            #expect(try await hub.store.logEntries(AccessLogQuery(action: "extraction.status", decision: .deny, limit: 10)).count == 2)
            #expect(try await hub.store.logEntries(AccessLogQuery(action: "http.request", limit: 10)).isEmpty)
        }
    }

    @Test func theBrandIsRefusedWithoutThePurposeAndAllowedWithIt() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            try await seed(hub, "d-lille", count: 12)
            let brand = try hub.client("brand")
            let bare = try await brand.post("/v1/extractions", json: ["format": "ndjson", "dealer": "d-lille"])
            #expect(bare.status == 403)
            #expect((try bare.json()["error"] as? [String: Any])?["clause"] as? String == "C5", "the brand always declares a purpose")
            let wrong = try await brand.send(
                .POST, "/v1/extractions", body: Fixtures.data(["format": "ndjson", "dealer": "d-lille"]), headers: [("Charter-Purpose", "marketing_on_behalf")]
            )
            #expect(wrong.status == 403)
            let nobody = try await brand.with(purpose: "dealer_request").post("/v1/extractions", json: ["format": "ndjson"])
            #expect(nobody.status == 422)
            #expect((try nobody.json()["error"] as? [String: Any])?["field"] as? String == "dealer")

            let status = try await brand.extract(["format": "ndjson", "dealer": "d-lille"], purpose: "dealer_request")
            #expect(status["requestedBy"] as? String == "brand")
            #expect(try manifest(status)["recordCount"] as? Int == 12)
            let content = try #require(status["content"] as? String)
            #expect(try await brand.get(content).status == 403, "following the job is extraction too: the purpose is declared again")
            #expect(try await brand.with(purpose: "dealer_request").get(content).status == 200)
            // The dealer can fetch what the brand asked for on its behalf.
            #expect(try await hub.client("d-lille").get(content).status == 200)

            let logged = try await hub.logged(AccessLogQuery(dealer: "d-lille", limit: 100))
            let request = try #require(logged.first { $0.action == "extraction.request" && $0.decision == .allow })
            #expect(request.actor == "brand")
            #expect(request.purpose == "dealer_request")
            #expect(request.clause == "C4")
            #expect(logged.contains { $0.action == "extraction.complete" && $0.target?.extraction == request.target?.extraction })
            #expect(logged.filter { $0.action == "extraction.download" && $0.decision == .allow }.map(\.actor) == ["brand", "d-lille"])
            // Following the job reads the manifest's counts: each status answer is logged too.
            let polls = logged.filter { $0.action == "extraction.status" && $0.decision == .allow }
            #expect(!polls.isEmpty && polls.allSatisfy { $0.actor == "brand" && $0.target?.extraction == request.target?.extraction })
        }
    }

    @Test func everyVersionOfACorrectedRecordIsExtractedWhileReadsShowTheLatest() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let dealer = try hub.client("d-lille")
            let created = try await dealer.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "C-1", extra: ["mileageKm": 1000]))
            let id = try #require(try created.json()["id"] as? String)
            #expect(created.headers.first(name: "ETag") == "\"1\"")

            func put(_ client: HubClient, _ mileage: Int, sourceRef: String = "C-1", ifMatch: String? = nil) async throws -> HubClient.Reply {
                try await client.send(
                    .PUT, "/v1/records/\(id)", body: Fixtures.data(Fixtures.recordJSON(sourceRef: sourceRef, extra: ["mileageKm": mileage])),
                    contentType: "application/json", headers: ifMatch.map { [("If-Match", $0)] } ?? []
                )
            }
            let second = try await put(dealer, 2000, ifMatch: "\"1\"")
            #expect(second.status == 200)
            #expect(second.headers.first(name: "ETag") == "\"2\"")
            #expect(try await put(dealer, 3000).status == 200)
            #expect(try await put(dealer, 3000).headers.first(name: "ETag") == "\"3\"", "an identical correction adds no version")

            let stale = try await put(dealer, 4000, ifMatch: "\"1\"")
            #expect(stale.status == 412)
            #expect(try stale.errorCode() == "version_conflict")
            #expect(try await put(dealer, 4000, sourceRef: "C-2").status == 422)
            #expect(try await put(try hub.client("d-roubaix"), 4000).status == 403)
            #expect(try await put(try hub.client("d-lyon"), 4000).status == 403)
            let forbidden = try await put(dealer, 4000, ifMatch: nil)
            #expect(forbidden.status == 200)
            let d2 = try await dealer.send(
                .PUT, "/v1/records/\(id)", body: Fixtures.data(Fixtures.recordJSON(sourceRef: "C-1", extra: ["notes": "Client très religieux"])),
                contentType: "application/json"
            )
            #expect(try d2.errorCode() == "forbidden_data")

            #expect(try await dealer.get("/v1/records/\(id)").json()["mileageKm"] as? Int == 4000)
            let history = try await dealer.get("/v1/vehicles/VF3ABCDEF12345678/history").json()["records"] as? [[String: Any]]
            #expect(history?.map { $0["mileageKm"] as? Int } == [4000])
            // A DMS retrying the first send after the corrections gets the record back, not a conflict.
            let retry = try await dealer.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "C-1", extra: ["mileageKm": 1000]))
            #expect(retry.status == 200)

            let status = try await dealer.extract(["format": "ndjson"])
            #expect(try manifest(status)["recordCount"] as? Int == 1)
            #expect(try manifest(status)["versionCount"] as? Int == 4)
            let lines = try await dealer.get(try #require(status["content"] as? String)).text.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(lines.map { $0["version"] as? Int } == [1, 2, 3, 4])
            #expect(lines.map { $0["supersedes"] as? Int } == [nil, 1, 2, 3])
            #expect(lines.map { $0["mileageKm"] as? Int } == [1000, 2000, 3000, 4000])
            #expect(Set(lines.compactMap { $0["id"] as? String }) == [id])
            let corrections = try await hub.logged(AccessLogQuery(action: "record.correct", limit: 20))
            #expect(corrections.filter { $0.decision == .allow }.count == 3)
            #expect(corrections.filter { $0.decision == .deny }.count >= 4)
        }
    }

    @Test func aResumedRangeDownloadConcatenatesToTheSameChecksum() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            try await seed(hub, "d-lille", count: 5_000)
            let dealer = try hub.client("d-lille")
            let status = try await dealer.extract(["format": "csv"])
            let manifest = try manifest(status)
            let path = try #require(status["content"] as? String)
            let size = try #require(manifest["bytes"] as? Int)
            let whole = try await dealer.get(path)
            #expect(whole.headers.first(name: "Accept-Ranges") == "bytes")
            #expect(whole.body.count == size)

            // Cut in the middle of the second page of 2,048 versions, then resume from there.
            let cut = size * 3 / 5
            let first = try await dealer.send(.GET, path, headers: [("Range", "bytes=0-\(cut - 1)")])
            #expect(first.status == 206)
            #expect(first.headers.first(name: "Content-Range") == "bytes 0-\(cut - 1)/\(size)")
            let rest = try await dealer.send(.GET, path, headers: [("Range", "bytes=\(cut)-"), ("If-Range", "\"\(manifest["sha256"] as? String ?? "")\"")])
            #expect(rest.status == 206)
            #expect(StoredRecord.contentHash(first.body + rest.body) == manifest["sha256"] as? String)
            let tail = try await dealer.send(.GET, path, headers: [("Range", "bytes=-100")])
            #expect(tail.body == whole.body.suffix(100))
            let beyond = try await dealer.send(.GET, path, headers: [("Range", "bytes=\(size)-")])
            #expect(beyond.status == 416)
            #expect(try beyond.errorCode() == "range_not_satisfiable")
            #expect(beyond.headers.first(name: "Content-Range") == "bytes */\(size)")

            // curl resumes a partial file the same way a DMS would.
            let file = hub.directory.appending("resume.csv")
            try first.body.write(to: URL(fileURLWithPath: file))
            let curl = try Curl.run([
                "--cacert", hub.pki.caCertificatePath, "--cert", hub.pki.memberCertificatePath("d-lille"), "--key", hub.pki.memberKeyPath("d-lille"),
                "-C", "-", "-o", file, hub.baseURL + path,
            ])
            #expect(curl.exitCode == 0)
            #expect(curl.status == 206)
            let resumed = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(StoredRecord.contentHash(resumed) == manifest["sha256"] as? String)
            let verified = try verifyOffline(hub, file, manifest: manifest, verifierKey: try #require(status["verifierKey"] as? String))
            #expect(verified.exitCode == 0, "\(verified.output)")
        }
    }

    @Test func csvFollowsRFC4180WithTheDocumentedColumns() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let dealer = try hub.client("d-lille")
            var full = Fixtures.fullRecordJSON(sourceRef: "Q-1", shareWithinGroup: true)
            full["notes"] = "Said \"call me\", twice\nthen left."
            #expect(try await dealer.post("/v1/records", json: full).status == 201)
            #expect(try await dealer.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "Q-2")).status == 201)
            let status = try await dealer.extract(["format": "csv"])
            let content = try await dealer.get(try #require(status["content"] as? String))
            #expect(content.contentType?.hasPrefix("text/csv") == true)
            let rows = CSVRows.parse(content.text)
            #expect(rows.first == ExtractionEncoder.Column.allCases.map(\.rawValue))
            #expect(rows.count == 3)
            let row = Dictionary(uniqueKeysWithValues: zip(rows[0], rows[1]))
            #expect(row["notes"] == "Said \"call me\", twice\nthen left.")
            #expect(row["customer.consent.shareWithinGroup"] == "true")
            #expect(row["amount.cents"] == "34900")
            #expect(row["financing.endsOn"] == "2029-10-01")
            #expect(row["supersedes"] == "")
            #expect(row["version"] == "1")
            let lines = try #require(row["lines"].flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [[String: Any]] })
            #expect(lines.first?["code"] as? String == "OIL")
            let bare = Dictionary(uniqueKeysWithValues: zip(rows[0], rows[2]))
            #expect(bare["customer.name"] == "")
            #expect(content.text.hasSuffix("\r\n"))
        }
    }

    @Test func aDealerWithNothingEnteredGetsAnEmptyVerifiableExtraction() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let dealer = try hub.client("d-roubaix")
            for format in ["ndjson", "csv"] {
                let status = try await dealer.extract(["format": format])
                #expect(try manifest(status)["recordCount"] as? Int == 0)
                let content = try await dealer.get(try #require(status["content"] as? String))
                #expect(content.status == 200)
                #expect(content.text == (format == "csv" ? ExtractionEncoder(format: .csv).header().map { String(UnicodeScalar($0)) }.joined() : ""))
                #expect(try manifest(status)["bytes"] as? Int == content.body.count)
            }
        }
    }

    @Test func badRequestsGetClearErrors() async throws {
        try await LiveHub.with { hub in
            try await hub.enrollNetwork()
            let dealer = try hub.client("d-lille")
            let noFormat = try await dealer.post("/v1/extractions", json: [:])
            #expect(noFormat.status == 422)
            #expect((try noFormat.json()["error"] as? [String: Any])?["field"] as? String == "format")
            let badFormat = try await dealer.post("/v1/extractions", json: ["format": "xml"])
            #expect((try badFormat.json()["error"] as? [String: Any])?["field"] as? String == "format")
            let unknown = try await dealer.post("/v1/extractions", json: ["format": "csv", "since": "2026-01-01"])
            #expect(try unknown.errorCode() == "unknown_field")
            #expect(try await dealer.get("/v1/extractions/ext_nothing").status == 404)
            // Four may wait at once per member; the fifth is told to wait.
            var statuses: [Int] = []
            for _ in 0..<8 { statuses.append(try await dealer.post("/v1/extractions", json: ["format": "ndjson"]).status) }
            #expect(statuses.allSatisfy { $0 == 202 || $0 == 429 })
        }
    }
}

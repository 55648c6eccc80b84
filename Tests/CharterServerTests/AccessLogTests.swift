import CharterCore
import CharterPKI
import CharterServer
import CharterStorage
import CharterTestSupport
import Foundation
import Testing

/// The tamper-evident access log over the live API: what is logged, the auditor API, proofs that verify
/// with nothing but the RFC and C2SP formats, offline verification, and fail-closed behaviour.
@Suite(.serialized) struct AccessLogTests {
    func network(_ hub: LiveHub) async throws {
        try await hub.enroll("d-lille", group: "g-north")
        try await hub.enroll("d-lyon", group: "g-south")
        try await hub.enroll("auditor", kind: .auditor)
    }

    /// Every entry of the log, through the auditor API, following `next` cursors.
    func allEntries(_ hub: LiveHub, query: String = "") async throws -> [[String: Any]] {
        var entries: [[String: Any]] = []
        var after = -1
        while true {
            let page = try await hub.client("auditor").get("/v1/audit/entries?limit=1000&after=\(after)\(query)").json()
            entries += page["entries"] as? [[String: Any]] ?? []
            guard let next = page["next"] as? Int else { return entries }
            after = next
        }
    }

    @Test func readsWritesAndDenialsAreLoggedWithoutPersonalData() async throws {
        try await LiveHub.with { hub in
            try await network(hub)
            let record = Fixtures.fullRecordJSON(sourceRef: "L-1", shareWithinGroup: true)
            let created = try await hub.client("d-lille").post("/v1/records", json: record)
            let id = try #require(try created.json()["id"] as? String)
            #expect(try await hub.client("d-lyon").get("/v1/records/\(id)").status == 200)
            #expect(try await hub.client("d-lyon").get("/v1/vehicles/VF3ABCDEF12345678/history").status == 200)
            #expect(try await hub.client("d-lyon").get("/v1/audit/entries").status == 403)
            #expect(try await hub.client("d-lyon").post("/v1/records", json: Fixtures.recordJSON(extra: ["notes": "client musulman"])).status == 422)

            let entries = try await allEntries(hub).map { $0["entry"] as! [String: Any] }
            func find(_ action: String, _ decision: String, actor: String) -> [String: Any]? {
                entries.first { $0["action"] as? String == action && $0["decision"] as? String == decision && $0["actor"] as? String == actor }
            }
            let write = try #require(find("record.create", "allow", actor: "d-lille"))
            #expect((write["target"] as? [String: Any])?["recordIds"] as? [String] == [id])
            #expect(write["clause"] as? String == "C1")
            let read = try #require(find("record.read", "allow", actor: "d-lyon"))
            #expect((read["fields"] as? [String: [String]])?["cross_group"].map(Set.init) == ["id", "visibility", "vin", "mileageKm", "operationType"])
            #expect(read["policyHash"] as? String == hub.server.policy.hash)
            #expect((read["requestId"] as? String)?.isEmpty == false)
            #expect(find("vehicle.history", "allow", actor: "d-lyon") != nil)
            let refusedAudit = try #require(find("audit.entries", "deny", actor: "d-lyon"))
            #expect(refusedAudit["actorKind"] as? String == "dealer")
            let refusedData = try #require(find("record.create", "deny", actor: "d-lyon"))
            #expect(refusedData["clause"] as? String == "D2")
            #expect(refusedData["code"] as? String == "forbidden_data")
            #expect(find("member.add", "allow", actor: "local:test") != nil)

            let leaves = try await allEntries(hub).compactMap { Data(base64Encoded: $0["leaf"] as? String ?? "") }
            for leaf in leaves {
                let text = String(decoding: leaf, as: UTF8.self)
                for personal in ["Camille", "c@example.org", "+33 1 23 45 67 89", "musulman", "old parts"] {
                    #expect(!text.contains(personal), "a log entry holds personal data or free text: \(text)")
                }
                #expect(try AccessLogEntry.parseCanonical(leaf).canonicalJSON() == leaf)
            }
        }
    }

    @Test func proofsVerifyAgainstTheSignedCheckpointWithOnlyTheVerifierKey() async throws {
        try await LiveHub.with { hub in
            try await network(hub)
            for index in 0..<5 { _ = try await hub.client("d-lille").post("/v1/records", json: Fixtures.recordJSON(sourceRef: "P-\(index)")) }
            let auditor = try hub.client("auditor")
            let key = try await auditor.get("/v1/audit/verifier-key").text
            let verifier = try NoteVerifier(verifierKey: key.trimmingCharacters(in: .whitespacesAndNewlines))
            let firstNote = try await auditor.get("/v1/audit/checkpoint").text
            let first = try #require(verifier.verify(firstNote).flatMap(Checkpoint.init(text:)))
            _ = try await hub.client("d-lyon").get("/v1/vehicles/VF3ABCDEF12345678/history")
            let secondNote = try await auditor.get("/v1/audit/checkpoint").text
            let second = try #require(verifier.verify(secondNote).flatMap(Checkpoint.init(text:)))
            #expect(second.size > first.size)
            #expect(verifier.verify(secondNote.replacingOccurrences(of: "\n\(second.size)\n", with: "\n\(second.size + 1)\n")) == nil)

            let entries = try await allEntries(hub)
            for item in entries.prefix(second.size) {
                let index = try #require(item["index"] as? Int)
                let leaf = try #require(Data(base64Encoded: item["leaf"] as? String ?? ""))
                let proof = try await auditor.get("/v1/audit/proofs/inclusion?index=\(index)&treeSize=\(second.size)").json()
                let hashes = try #require(proof["hashes"] as? [String]).compactMap(TreeHash.init(base64:))
                #expect(MerkleProof.verifyInclusion(leafHash: .leaf(leaf), index: index, size: second.size, proof: hashes, root: second.root), "entry \(index)")
            }
            let consistency = try await auditor.get("/v1/audit/proofs/consistency?from=\(first.size)&to=\(second.size)").json()
            let hashes = try #require(consistency["hashes"] as? [String]).compactMap(TreeHash.init(base64:))
            #expect(MerkleProof.verifyConsistency(oldSize: first.size, newSize: second.size, oldRoot: first.root, newRoot: second.root, proof: hashes))
        }
    }

    @Test func badRangesAndFiltersGetClearErrors() async throws {
        try await LiveHub.with { hub in
            try await network(hub)
            let auditor = try hub.client("auditor")
            for query in [
                "/v1/audit/proofs/inclusion?index=5&treeSize=2", "/v1/audit/proofs/inclusion?index=0&treeSize=999999",
                "/v1/audit/proofs/consistency?from=3&to=2", "/v1/audit/proofs/consistency?from=0&to=2",
                "/v1/audit/entries?limit=1001", "/v1/audit/entries?decision=maybe", "/v1/audit/entries?since=yesterday",
            ] {
                let reply = try await auditor.get(query)
                #expect(reply.status == 422, "\(query)")
                #expect(try reply.errorCode() == "invalid_range", "\(query)")
            }
            _ = try await hub.client("d-lyon").get("/v1/vehicles/VF3ABCDEF12345678/history")
            let filtered = try await allEntries(hub, query: "&actor=d-lyon&action=vehicle.history&vin=VF3ABCDEF12345678&decision=allow")
            #expect(filtered.count == 1)
            let page = try await auditor.get("/v1/audit/entries?limit=2").json()
            #expect((page["entries"] as? [Any])?.count == 2)
            #expect(page["next"] as? Int == 1)
        }
    }

    @Test func theHubFailsClosedWhenTheLogCannotBeWritten() async throws {
        try await LiveHub.with { hub in
            try await network(hub)
            let lille = try hub.client("d-lille")
            #expect(try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "C-1")).status == 201)
            // Behind the hub's back: the log refuses every append.
            let database = hub.store.path
            _ = try SQLiteShell.run(database, "CREATE TRIGGER log_is_down BEFORE INSERT ON log_entries BEGIN SELECT RAISE(ABORT, 'disk full'); END;")
            let read = try await lille.get("/v1/vehicles/VF3ABCDEF12345678/history")
            #expect(read.status == 503)
            #expect(try read.errorCode() == "log_unavailable")
            #expect(!read.text.contains("VF3ABCDEF12345678\",\"records\""))
            let write = try await lille.post("/v1/records", json: Fixtures.recordJSON(sourceRef: "C-2"))
            #expect(write.status == 503)
            _ = try SQLiteShell.run(database, "DROP TRIGGER log_is_down;")
            let history = try await lille.get("/v1/vehicles/VF3ABCDEF12345678/history").json()
            #expect((history["records"] as? [[String: Any]])?.compactMap { $0["sourceRef"] as? String } == ["C-1"], "the refused write must not have been stored")
        }
    }

    @Test func offlineVerificationNamesTheFirstTamperedEntry() async throws {
        try await LiveHub.with { hub in
            try await network(hub)
            for index in 0..<6 { _ = try await hub.client("d-lille").post("/v1/records", json: Fixtures.recordJSON(sourceRef: "T-\(index)")) }
            _ = try await hub.client("auditor").get("/v1/audit/checkpoint")
            let verifier = try NoteSigner(name: HubConfiguration.defaultLogOrigin, rawKey: hub.pki.loadLogKey()).verifier
            let size = try await hub.store.logSize()
            let verdict = try await AccessLogVerifier.verify(hub.store, verifier: verifier)
            #expect(verdict.size == size)

            // Copies of the database, each edited behind the hub's back with the sqlite3 shell.
            func tampered(_ sql: String) async throws -> AccessLogVerifier.Failure? {
                try await TamperedLog.failure(of: hub.store.path, in: hub.directory, editedWith: sql, verifier: verifier)
            }
            // One byte of one entry: "allow" becomes "alloW" in entry 4.
            #expect(try await tampered("UPDATE log_entries SET leaf = CAST(REPLACE(CAST(leaf AS TEXT), '\"allow\"', '\"alloW\"') AS BLOB) WHERE idx = 4;")?.index == 4)
            // A byte that keeps the JSON canonical: a digit of the time.
            #expect(try await tampered("UPDATE log_entries SET leaf = CAST(REPLACE(CAST(leaf AS TEXT), '\"time\":\"2', '\"time\":\"3') AS BLOB) WHERE idx = 3;")?.index == 3)
            // An entry removed.
            #expect(try await tampered("DELETE FROM log_entries WHERE idx = 2;")?.index == 2)
            // Two entries swapped.
            let swap = """
                UPDATE log_entries SET idx = -1 WHERE idx = 1; UPDATE log_entries SET idx = 1 WHERE idx = 5; UPDATE log_entries SET idx = 5 WHERE idx = -1;
                """
            #expect(try await tampered(swap)?.index == 1)
            // A recorded leaf hash removed.
            #expect(try await tampered("DELETE FROM log_nodes WHERE pos = 6 << 6;")?.description.hasPrefix("entry 6: the log holds no leaf hash") == true)
            // Untouched, the copy still verifies.
            #expect(try await tampered("SELECT 1;") == nil)
        }
    }
}

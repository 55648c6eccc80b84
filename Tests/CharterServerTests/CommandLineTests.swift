import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// The `charterhub` executable itself, on the files a live hub wrote.
@Suite(.serialized) struct CommandLineTests {
    @Test func auditVerifyPassesOnTheLogAndNamesTheFirstTamperedEntry() async throws {
        try await LiveHub.with { hub in
            try await hub.enroll("d-lille", group: "g-north")
            try await hub.enroll("auditor", kind: .auditor)
            for index in 0..<4 { _ = try await hub.client("d-lille").post("/v1/records", json: Fixtures.recordJSON(sourceRef: "CLI-\(index)")) }
            _ = try await hub.client("auditor").get("/v1/audit/checkpoint")
            let options = hub.commandLineOptions

            let good = try CommandLineTool.run(["audit", "verify"] + options)
            #expect(good.exitCode == 0, "\(good.output)")
            #expect(good.output.contains("OK:"))

            // The leaf is intact, but an actor= query would no longer find the entry.
            _ = try SQLiteShell.run(hub.store.path, "UPDATE log_entries SET actor = 'someone-else' WHERE idx = 2;")
            let hidden = try CommandLineTool.run(["audit", "verify"] + options)
            #expect(hidden.exitCode != 0)
            #expect(hidden.output.contains("FAIL: entry 2:") && hidden.output.contains("(actor)"), "\(hidden.output)")
            _ = try SQLiteShell.run(hub.store.path, "UPDATE log_entries SET actor = json_extract(CAST(leaf AS TEXT), '$.actor') WHERE idx = 2;")

            _ = try SQLiteShell.run(hub.store.path, "UPDATE log_entries SET leaf = CAST(REPLACE(CAST(leaf AS TEXT), '\"allow\"', '\"deny\"') AS BLOB) WHERE idx = 3;")
            let bad = try CommandLineTool.run(["audit", "verify"] + options)
            #expect(bad.exitCode != 0)
            #expect(bad.output.contains("FAIL: entry 3:"), "\(bad.output)")
        }
    }

    /// A mistyped --data-dir is said, not answered with a new empty database (whose log would "verify").
    @Test func readingCommandsRefuseADataDirectoryWithoutADatabase() throws {
        let directory = try TemporaryDirectory("charterhub-nodata")
        defer { directory.remove() }
        let missing = directory.appending("nothing-here")
        for arguments in [["audit", "verify"], ["members", "list"], ["sales", "show", "d-lille"]] {
            let result = try CommandLineTool.run(arguments + ["--data-dir", missing, "--certs-dir", directory.appending("certs")])
            #expect(result.exitCode != 0, "\(arguments)")
            #expect(result.output.contains("no database at"), "\(arguments): \(result.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func policyCheckNamesTheFileAndLineOfAnError() throws {
        let directory = try TemporaryDirectory("charterhub-policy")
        defer { directory.remove() }
        let source = try String(contentsOfFile: Fixtures.policiesDirectory + "/charter.yaml", encoding: .utf8)
        try source.replacingOccurrences(of: "  cross_group:\n    clause: C2\n", with: "  cross_group:\n    clause: C2\n    colour: blue\n")
            .write(toFile: directory.appending("charter.yaml"), atomically: true, encoding: .utf8)
        let line = source.components(separatedBy: "\n").firstIndex { $0 == "    clause: C2" }.map { $0 + 2 }!
        let result = try CommandLineTool.run(["policy", "check", "--policies", directory.path])
        #expect(result.exitCode != 0)
        #expect(result.output.contains("charter.yaml:\(line):"), "\(result.output)")
        #expect(result.output.contains("colour"))

        let shipped = try CommandLineTool.run(["policy", "test", "--policies", Fixtures.policiesDirectory])
        #expect(shipped.exitCode == 0, "\(shipped.output)")
        let summary = try #require(shipped.output.firstMatch(of: /PASS: (\d+)\/(\d+)/))
        #expect(summary.1 == summary.2, "every shipped case passes")
        #expect(Int(summary.2) ?? 0 >= 40, "the shipped suites cover every clause")
    }
}

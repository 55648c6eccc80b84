import ArgumentParser
import CharterCore
import Foundation

/// `charterhub extract verify`: proves offline that downloaded content is exactly what the hub's signed
/// manifest describes (C4), so a dealer need not trust the transfer or the hub's word.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Work with extractions (C4).", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an extraction's content against its signed manifest: signature, size, SHA-256, version and record counts."
        )

        @Argument(help: "The downloaded content (NDJSON or CSV).") var content: String
        @Option(help: "The manifest: the JSON of GET /v1/extractions/{id}, or its 'manifest' member alone.") var manifest: String
        @OptionGroup var hub: HubOptions
        @OptionGroup var key: VerifierKeyOptions

        func run() async throws {
            let manifest = try Self.readManifest(manifest)
            let verifier = try key.verifier(pki: hub.pki)
            guard let file = FileHandle(forReadingAtPath: content) else {
                throw ValidationError("cannot open the content file '\(content)'")
            }
            defer { try? file.close() }
            do {
                var check = try ExtractionVerifier(manifest: manifest, verifier: verifier)
                while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try check.consume(chunk)
                }
                let verdict = try check.finish()
                print("OK: \(verdict.records) records, \(verdict.versions) versions, \(verdict.bytes) bytes, sha256 \(verdict.sha256); manifest of \(manifest.id) for \(manifest.dealer) signed under \(verifier.verifierKey)")
            } catch let failure as ExtractionVerifier.Failure {
                print("FAIL: \(failure)")
                throw ExitCode.failure
            }
        }

        /// The manifest from a saved status response or a bare manifest.
        static func readManifest(_ path: String) throws -> ExtractionManifest {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the manifest file '\(path)'") }
            struct Status: Decodable { let manifest: ExtractionManifest? }
            if let status = try? JSONDecoder().decode(Status.self, from: data), let manifest = status.manifest { return manifest }
            do {
                return try JSONDecoder().decode(ExtractionManifest.self, from: data)
            } catch {
                throw ValidationError("'\(path)' holds neither a manifest nor an extraction status with one: \(error)")
            }
        }
    }
}

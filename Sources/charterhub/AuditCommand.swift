import ArgumentParser
import CharterCore
import CharterServer
import Foundation

/// `charterhub audit verify`: checks the access log offline, from the database and the log key alone.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Verify the tamper-evident access log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the Merkle tree from every stored entry, check each entry is canonical, and check the latest signed checkpoint."
        )

        @OptionGroup var hub: HubOptions
        @OptionGroup var key: VerifierKeyOptions

        func run() async throws {
            let store = try hub.openExistingStore()
            let verifier = try key.verifier(pki: hub.pki)
            do {
                let verdict = try await AccessLogVerifier.verify(store, verifier: verifier)
                print("OK: \(verdict.size) entries; root \(verdict.root.base64); signed checkpoint of size \(verdict.checkpointSize) verified under \(verifier.verifierKey)")
            } catch let failure as AccessLogVerifier.Failure {
                print("FAIL: \(failure)")
                throw ExitCode.failure
            }
        }
    }
}

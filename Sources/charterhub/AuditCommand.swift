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
        @Option(help: "The C2SP verifier key (<name>+<id>+<key>); by default derived from <certs-dir>/log.key.") var verifierKey: String?
        @Option(help: "The log origin, when deriving the verifier key from the log key.") var origin = HubConfiguration.defaultLogOrigin

        func run() async throws {
            let store = try hub.openStore()
            let verifier = try verifierKey.map(NoteVerifier.init(verifierKey:)) ?? NoteSigner(name: origin, rawKey: hub.pki.loadLogKey()).verifier
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

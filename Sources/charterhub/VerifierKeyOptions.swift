import ArgumentParser
import CharterCore
import CharterPKI
import CharterServer

/// The key that checks what the hub signs (checkpoints, extraction manifests): given outright, or
/// derived from the hub's own log key when verifying on the hub's machine.
struct VerifierKeyOptions: ParsableArguments {
    @Option(help: "The C2SP verifier key (<name>+<id>+<key>); by default derived from <certs-dir>/log.key.") var verifierKey: String?
    @Option(help: "The log origin, when deriving the verifier key from the log key.") var origin = HubConfiguration.defaultLogOrigin

    func verifier(pki: PKIDirectory) throws -> NoteVerifier {
        try verifierKey.map(NoteVerifier.init(verifierKey:)) ?? NoteSigner(name: origin, rawKey: pki.loadLogKey()).verifier
    }
}

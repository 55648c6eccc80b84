import Crypto
import Foundation

/// An Ed25519 key that signs C2SP `signed-note`s (https://c2sp.org/signed-note), so that anyone holding
/// the verifier key string can check a checkpoint or a manifest with no other trust in the hub.
public struct NoteSigner: Sendable {
    /// The key name that signature lines and the verifier key carry.
    public let name: String
    /// The private key bytes, for storing beside the other keys (mode 0600). Kept as bytes because
    /// swift-crypto's key type is not `Sendable`; it is rebuilt for each signature.
    public let rawKey: Data

    /// Signs with `rawKey` (32 bytes); the name must be non-empty and hold no whitespace or '+'.
    public init(name: String, rawKey: some ContiguousBytes) throws {
        guard NoteVerifier.isValidName(name) else { throw CharterError.invalid("name", "a note key name is non-empty and holds no spaces or '+'") }
        self.name = name
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
        self.rawKey = key.rawRepresentation
        self.verifier = NoteVerifier(name: name, publicKey: key.publicKey.rawRepresentation)
    }

    /// A fresh key.
    public static func generate(name: String) throws -> NoteSigner {
        try NoteSigner(name: name, rawKey: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// The matching verifier.
    public let verifier: NoteVerifier

    /// `text` (which must end in a newline) followed by a blank line and this key's signature line.
    public func sign(_ text: String) throws -> String {
        guard text.hasSuffix("\n") else { throw CharterError.invalid("note", "a note's text ends with a newline") }
        let signature = try Curve25519.Signing.PrivateKey(rawRepresentation: rawKey).signature(for: Data(text.utf8))
        return text + "\n" + NoteVerifier.signaturePrefix + name + " " + (Data(verifier.keyID) + signature).base64EncodedString() + "\n"
    }
}

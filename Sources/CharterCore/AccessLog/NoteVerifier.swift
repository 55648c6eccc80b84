import Crypto
import Foundation

/// Checks C2SP signed notes against one Ed25519 key, given as the standard verifier key string
/// `<name>+<hex key id>+<base64(0x01 ‖ public key)>`.
public struct NoteVerifier: Sendable, Hashable {
    public let name: String
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: Data

    /// The signature type byte of Ed25519 in signed notes.
    static let ed25519: UInt8 = 0x01
    /// Every signature line starts with an em dash and a space.
    static let signaturePrefix = "\u{2014} "

    public init(name: String, publicKey: Data) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses a verifier key string.
    public init(verifierKey: String) throws {
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, Self.isValidName(String(parts[0])),
            let encoded = Data(base64Encoded: String(parts[2])), encoded.count == 33, encoded.first == Self.ed25519
        else {
            throw CharterError.invalid("verifierKey", "a verifier key reads <name>+<8 hex digits>+<base64 of 0x01 and a 32-byte Ed25519 key>")
        }
        self.init(name: String(parts[0]), publicKey: encoded.dropFirst())
        guard parts[1].lowercased() == Hex.string(keyID) else {
            throw CharterError.invalid("verifierKey", "the key id of the verifier key does not match its key")
        }
    }

    /// The first four bytes of SHA-256(name ‖ '\n' ‖ 0x01 ‖ public key).
    public var keyID: [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Data(name.utf8) + [0x0A, Self.ed25519])
        hasher.update(data: publicKey)
        return Array(hasher.finalize().prefix(4))
    }

    /// The verifier key string.
    public var verifierKey: String {
        name + "+" + Hex.string(keyID) + "+" + (Data([Self.ed25519]) + publicKey).base64EncodedString()
    }

    /// The note's text if `note` carries a valid signature by this key; nil otherwise.
    public func verify(_ note: String) -> String? {
        guard let split = note.range(of: "\n\n" + Self.signaturePrefix, options: .backwards) else { return nil }
        let text = String(note[..<split.lowerBound]) + "\n"
        let lines = note[note.index(split.lowerBound, offsetBy: 2)...].split(separator: "\n")
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return nil }
        for line in lines where line.hasPrefix(Self.signaturePrefix) {
            let fields = line.dropFirst(Self.signaturePrefix.count).split(separator: " ")
            guard fields.count == 2, fields[0] == name, let blob = Data(base64Encoded: String(fields[1])), blob.count == 68,
                Array(blob.prefix(4)) == keyID
            else { continue }
            if key.isValidSignature(blob.dropFirst(4), for: Data(text.utf8)) { return text }
        }
        return nil
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains(where: { $0.isWhitespace || $0 == "+" })
    }
}

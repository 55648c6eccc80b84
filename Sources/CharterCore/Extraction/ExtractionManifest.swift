import Foundation

/// What an extraction holds, signed with the hub's access-log key so that a dealer can prove offline
/// that the content it received is complete and is what the hub produced (C4).
///
/// The signature is a C2SP signed-note signature line over the manifest's canonical JSON (every member
/// but `signature`, keys sorted, no whitespace) followed by a newline; the verifier key that checks
/// access-log checkpoints checks manifests too.
public struct ExtractionManifest: Sendable, Hashable, Codable {
    /// The extraction job.
    public var id: String
    /// The dealer whose entered data this is.
    public var dealer: String
    /// Who asked for it.
    public var requestedBy: String
    public var format: ExtractionFormat
    /// Distinct records in the content.
    public var recordCount: Int
    /// Lines (NDJSON) or data rows (CSV): every version of every record.
    public var versionCount: Int
    /// Content length in bytes.
    public var bytes: Int
    /// SHA-256 of the content, lowercase hex.
    public var sha256: String
    /// When the snapshot was taken (RFC 3339, UTC).
    public var snapshotAt: String
    /// The access log's size at the snapshot, to place the extraction in the log's history.
    public var logTreeSize: Int
    /// SHA-256 of the policy in force.
    public var policyHash: String
    /// The signature line (`— <key name> <base64>`); nil until signed.
    public var signature: String?

    public init(
        id: String, dealer: String, requestedBy: String, format: ExtractionFormat, recordCount: Int, versionCount: Int, bytes: Int,
        sha256: String, snapshotAt: String, logTreeSize: Int, policyHash: String, signature: String? = nil
    ) {
        self.id = id
        self.dealer = dealer
        self.requestedBy = requestedBy
        self.format = format
        self.recordCount = recordCount
        self.versionCount = versionCount
        self.bytes = bytes
        self.sha256 = sha256
        self.snapshotAt = snapshotAt
        self.logTreeSize = logTreeSize
        self.policyHash = policyHash
        self.signature = signature
    }

    /// The signed bytes: canonical JSON of every member except `signature`.
    public func canonicalJSON() -> [UInt8] {
        CanonicalJSON.serialize(.object([
            ("id", .string(id)), ("dealer", .string(dealer)), ("requestedBy", .string(requestedBy)), ("format", .string(format.rawValue)),
            ("recordCount", .integer(recordCount)), ("versionCount", .integer(versionCount)), ("bytes", .integer(bytes)),
            ("sha256", .string(sha256)), ("snapshotAt", .string(snapshotAt)), ("logTreeSize", .integer(logTreeSize)),
            ("policyHash", .string(policyHash)),
        ]))
    }

    /// The note text the signature covers.
    private var noteText: String { String(decoding: canonicalJSON(), as: UTF8.self) + "\n" }

    /// This manifest with its signature by `signer`.
    public func signed(by signer: NoteSigner) throws -> ExtractionManifest {
        let text = noteText
        let note = try signer.sign(text)
        var signed = self
        // The note is the text, a blank line, then the one signature line and its newline.
        signed.signature = String(decoding: note.utf8.dropFirst(text.utf8.count + 1).dropLast(), as: UTF8.self)
        return signed
    }

    /// Whether the signature is `verifier`'s, over exactly these members.
    public func isSigned(by verifier: NoteVerifier) -> Bool {
        guard let signature, !signature.contains("\n") else { return false }
        return verifier.verify(noteText + "\n" + signature + "\n") != nil
    }
}

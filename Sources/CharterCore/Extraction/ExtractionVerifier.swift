import Crypto
import Foundation

/// Checks an extraction's content against its signed manifest, offline and in one pass over the bytes,
/// so that a dealer can prove what it received is exactly and completely what the hub extracted (C4).
public struct ExtractionVerifier {
    /// What was checked.
    public struct Verdict: Sendable, Hashable {
        public let records: Int
        public let versions: Int
        public let bytes: Int
        public let sha256: String
    }

    /// Why the content or the manifest does not verify.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public let manifest: ExtractionManifest
    private var hasher = SHA256()
    private var bytes = 0
    private var versions = 0
    private var records = 0
    /// NDJSON: the current, unfinished line.
    private var line: [UInt8] = []
    /// CSV: the header bytes still to match, and the row scanner's state.
    private var header: ArraySlice<UInt8>
    private var inQuotes = false
    private var column = 0
    private var supersedesEmpty = true
    private var rowHasBytes = false
    private var pendingCR = false

    /// Starts a verification; the manifest's signature is checked first, against `verifier`.
    public init(manifest: ExtractionManifest, verifier: NoteVerifier) throws(Failure) {
        guard manifest.isSigned(by: verifier) else {
            throw Failure("the manifest's signature does not verify under \(verifier.verifierKey)")
        }
        self.manifest = manifest
        self.header = ExtractionEncoder(format: manifest.format).header()[...]
    }

    /// Feeds the next bytes of the content.
    public mutating func consume(_ chunk: some Collection<UInt8>) throws(Failure) {
        let chunk = Array(chunk)
        hasher.update(data: chunk)
        for byte in chunk {
            bytes += 1
            switch manifest.format {
            case .ndjson:
                if byte == 0x0A {
                    try checkLine()
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                }
            case .csv:
                try scanCSV(byte)
            }
        }
    }

    /// Checks the totals once every byte has been fed.
    public mutating func finish() throws(Failure) -> Verdict {
        if !line.isEmpty || rowHasBytes || inQuotes { throw Failure("the content ends in the middle of record \(versions + 1)") }
        if !header.isEmpty { throw Failure("the content ends inside the CSV header") }
        let sha256 = Hex.string(hasher.finalize())
        if bytes != manifest.bytes { throw Failure("the content is \(bytes) bytes; the manifest says \(manifest.bytes)") }
        if sha256 != manifest.sha256 { throw Failure("the content's SHA-256 is \(sha256); the manifest says \(manifest.sha256)") }
        if versions != manifest.versionCount { throw Failure("the content holds \(versions) versions; the manifest says \(manifest.versionCount)") }
        if records != manifest.recordCount { throw Failure("the content holds \(records) records; the manifest says \(manifest.recordCount)") }
        return Verdict(records: records, versions: versions, bytes: bytes, sha256: sha256)
    }

    private mutating func checkLine() throws(Failure) {
        versions += 1
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            object["id"] is String, let version = object["version"] as? Int, version >= 1
        else {
            throw Failure("line \(versions) is not a record version (a JSON object with id and version)")
        }
        guard object["enteredBy"] as? String == manifest.dealer else {
            throw Failure("line \(versions) was not entered by \(manifest.dealer)")
        }
        let supersedes = object["supersedes"] as? Int
        guard (version == 1) == (supersedes == nil), supersedes.map({ $0 == version - 1 }) ?? true else {
            throw Failure("line \(versions): version \(version) must supersede version \(version - 1)")
        }
        if version == 1 { records += 1 }
    }

    /// RFC 4180: a row ends at CRLF outside quotes; a quote inside a quoted cell is doubled.
    private mutating func scanCSV(_ byte: UInt8) throws(Failure) {
        if let expected = header.first {
            guard byte == expected else { throw Failure("the CSV header differs from the documented columns at byte \(bytes)") }
            header.removeFirst()
            return
        }
        if pendingCR {
            guard byte == 0x0A else { throw Failure("row \(versions + 1): a CR outside quotes must be followed by LF") }
            pendingCR = false
            versions += 1
            if supersedesEmpty { records += 1 }
            column = 0
            supersedesEmpty = true
            rowHasBytes = false
            return
        }
        rowHasBytes = true
        if inQuotes {
            if byte == UInt8(ascii: "\"") { inQuotes = false } else if column == 2 { supersedesEmpty = false }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            // Opens a quoted cell, or (right after its closing quote) is the second of a doubled quote.
            inQuotes = true
        case UInt8(ascii: ","):
            column += 1
        case 0x0D:
            pendingCR = true
        default:
            if column == 2 { supersedesEmpty = false }
        }
    }
}

import Crypto
import Foundation

/// A record as the hub keeps it: the DMS's input plus what the hub assigned.
public struct StoredRecord: Sendable, Hashable {
    /// Assigned by the hub; never derived from the DMS's data, so it reveals nothing across groups.
    public let id: String
    /// The dealer whose certificate sent the record.
    public let enteredBy: String
    /// When the hub received this version.
    public let recordedAt: Date
    public let input: RecordInput
    /// 1 when entered; each correction by the entering dealer adds one. Earlier versions are kept (C4).
    public let version: Int

    public init(id: String, enteredBy: String, recordedAt: Date, input: RecordInput, version: Int = 1) {
        self.id = id
        self.enteredBy = enteredBy
        self.recordedAt = recordedAt
        self.input = input
        self.version = version
    }

    /// A new record with a fresh id, entered now.
    public static func make(enteredBy: String, input: RecordInput, at date: Date = Date()) -> StoredRecord {
        make(enteredBy: enteredBy, inputs: [input], at: date)[0]
    }

    /// New records with fresh ids, entered together (a batch): the ids come from one draw.
    public static func make(enteredBy: String, inputs: [RecordInput], at date: Date = Date()) -> [StoredRecord] {
        zip(Hex.randomIdentifiers(count: inputs.count), inputs).map { id, input in
            StoredRecord(id: "rec_" + id, enteredBy: enteredBy, recordedAt: date, input: input)
        }
    }

    /// The input as canonical JSON (sorted keys), which is what the store keeps and what replays are compared on.
    public static func canonicalJSON(_ input: RecordInput) -> Data {
        Data(CanonicalRecordWriter.json(input))
    }

    /// SHA-256 (hex) of the canonical JSON: two sends are the same record exactly when these match.
    public static func contentHash(_ canonical: Data) -> String {
        Hex.string(SHA256.hash(data: canonical))
    }
}

import CharterCore
import Foundation

/// Shared fixtures: the repository's real policy and sample records.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `policies/` of the repository.
    public static var policiesDirectory: String { (repositoryRoot as NSString).appendingPathComponent("policies") }

    /// The charter policy the hub ships with.
    public static func policy() throws -> CharterPolicy {
        try PolicyCompiler.load(directory: policiesDirectory)
    }

    /// Access-log entries `range`, each distinct, with the columns auditors filter on varying by position:
    /// actor `d-(i % 7)`, VIN `VIN(i % 3)`, action by parity, and a denial every fifth.
    public static func logEntries(_ range: Range<Int>) -> [AccessLogEntry] {
        range.map {
            AccessLogEntry(
                actor: "d-\($0 % 7)", actorKind: "dealer", action: $0.isMultiple(of: 2) ? "vehicle.history" : "record.read",
                decision: $0.isMultiple(of: 5) ? .deny : .allow, target: .init(vin: "VIN\($0 % 3)"), policyHash: "h", requestId: "r-\($0)"
            )
        }
    }

    /// A valid record as JSON members; tests add, change or remove members from it.
    public static func recordJSON(
        sourceRef: String = "DMS-000123", vin: String = "VF3ABCDEF12345678", extra: [String: Any] = [:]
    ) -> [String: Any] {
        var record: [String: Any] = [
            "sourceRef": sourceRef, "vin": vin, "kind": "service", "operationType": "maintenance",
            "performedOn": "2026-10-02", "mileageKm": 48210,
        ]
        for (key, value) in extra { record[key] = value }
        return record
    }

    /// A record with every optional member, so every catalog field is present in the own view.
    public static func fullRecordJSON(sourceRef: String, vin: String = "VF3ABCDEF12345678", shareWithinGroup: Bool, marketing: Bool = false) -> [String: Any] {
        recordJSON(sourceRef: sourceRef, vin: vin, extra: [
            "customer": ["ref": "C-1", "name": "Camille Martin", "email": "c@example.org", "phone": "+33 1 23 45 67 89",
                         "consent": ["shareWithinGroup": shareWithinGroup, "marketing": marketing]],
            "amount": ["cents": 34900, "currency": "EUR"],
            "lines": [["code": "OIL", "label": "Engine oil", "quantity": 4, "amountCents": 1200]],
            "financing": ["mode": "loan", "months": 36, "endsOn": "2029-10-01"],
            "notes": "Customer asked for the old parts.",
        ])
    }

    /// JSON bytes of `object`.
    public static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The field sets the charter prescribes per relation, written out from the charter text
    /// (C2, C3, C7, D3) rather than read from the policy, so tests check the policy against the charter.
    public static func expectedFields(relation: Relation, present: Set<String>, shareWithinGroup: Bool) -> Set<String> {
        switch relation {
        case .own:
            return present
        case .sameGroup, .custodian:
            var fields = present.subtracting(["notes"])
            if !shareWithinGroup { fields.remove("customer") }
            return fields
        case .crossGroup:
            return ["id", "visibility", "vin", "mileageKm", "operationType"]
        case .oem, .auditor, .operator:
            return []
        }
    }
}

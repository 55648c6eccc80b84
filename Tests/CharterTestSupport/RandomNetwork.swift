import CharterCore
import Foundation

/// Random dealers across several groups and random records, for property tests of the field filter.
public struct RandomNetwork {
    public var generator: SeededGenerator
    public let dealers: [Member]

    /// `dealerCount` dealers spread over `groupCount` groups.
    public init(seed: UInt64, groupCount: Int = 4, dealerCount: Int = 10) {
        generator = SeededGenerator(seed: seed)
        dealers = (0..<dealerCount).map { index in
            Member(id: "d-\(index)", kind: .dealer, group: "g-\(index % groupCount)", name: "Dealer \(index)")
        }
    }

    /// A random valid record as JSON members, with a random subset of the optional members.
    public mutating func recordJSON(sourceRef: String, vin: String = "VF3ABCDEF12345678") -> (json: [String: Any], shareWithinGroup: Bool) {
        let share = Bool.random(using: &generator)
        var extra: [String: Any] = [
            "kind": ["vn_sale", "vo_sale", "service"].randomElement(using: &generator)!,
            "operationType": ["maintenance", "repair", "tyres", "inspection"].randomElement(using: &generator)!,
            "mileageKm": Int.random(in: 0...2_000_000, using: &generator),
        ]
        if Bool.random(using: &generator) {
            extra["customer"] = ["ref": "C-\(Int.random(in: 1...999, using: &generator))", "name": "Dominique Petit",
                                 "consent": ["shareWithinGroup": share, "marketing": Bool.random(using: &generator)]]
        }
        if Bool.random(using: &generator) { extra["amount"] = ["cents": Int.random(in: 0...1_000_000, using: &generator), "currency": "EUR"] }
        if Bool.random(using: &generator) { extra["lines"] = [["code": "L1", "label": "Filter", "quantity": 1, "amountCents": 900]] }
        if Bool.random(using: &generator) { extra["financing"] = ["mode": "lease", "months": 24] }
        if Bool.random(using: &generator) { extra["notes"] = "Internal note \(Int.random(in: 1...99, using: &generator))" }
        let hasCustomer = extra["customer"] != nil
        return (Fixtures.recordJSON(sourceRef: sourceRef, vin: vin, extra: extra), hasCustomer && share)
    }

    /// A random dealer.
    public mutating func dealer() -> Member { dealers.randomElement(using: &generator)! }

    /// The fields a record with these JSON members carries in its full (own) view.
    public static func presentFields(_ json: [String: Any]) -> Set<String> {
        Set(json.keys).union(["id", "visibility", "enteredBy", "recordedAt"])
    }
}

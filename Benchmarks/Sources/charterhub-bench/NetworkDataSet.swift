import CharterCore
import CharterStorage
import CharterTestSupport
import Foundation

/// The benchmark's network: 300 dealers in 60 groups of five, and vehicles with three records each
/// (1,000,000 vehicles make 3,000,000 records). Every vehicle is sold new (VN) by its home dealer; 30% are
/// later sold used (VO) by a dealer of another group, and the rest get a second service, mostly in the
/// home group. Records are a pure function of the vehicle number, so every run and every size sees the
/// same data, and the first N records are whole vehicle histories.
struct NetworkDataSet: Sendable {
    static let dealerCount = 300
    static let groupCount = 60
    static let recordsPerVehicle = 3

    static func dealer(_ index: Int) -> String { "d-\(index)" }
    static func group(ofDealer index: Int) -> String { "g-\(index % groupCount)" }
    static func vin(_ vehicle: Int) -> String { "VF3NW\(String(format: "%012d", vehicle))" }

    /// Enrols the 300 dealers in their 60 groups (certificates issued by the hub's CA).
    static func enroll(_ hub: LiveHub) async throws {
        try await hub.enroll((0..<dealerCount).map { Member(id: dealer($0), kind: .dealer, group: group(ofDealer: $0), name: "Dealer \($0)") })
    }

    /// The three records of `vehicle`, as (entering dealer, record).
    static func records(ofVehicle vehicle: Int) -> [(dealer: Int, input: RecordInput)] {
        let vin = try! VIN(validating: vin(vehicle))
        let home = (vehicle &* 2_654_435_761) % dealerCount
        let sameGroup = (home + groupCount * (1 + vehicle % 4)) % dealerCount
        let otherGroup = (home + 1 + vehicle % 7) % dealerCount
        let year = 2015 + vehicle % 9
        let customer = Customer(
            ref: "C-\(vehicle)", name: "Client \(vehicle)", email: "client\(vehicle)@example.org", phone: "+33 3 20 00 00 00",
            consent: Consent(shareWithinGroup: vehicle % 3 != 0, marketing: vehicle % 5 == 0)
        )
        let sale = RecordInput(
            sourceRef: "VN-\(vehicle)", vin: vin, kind: .vnSale, operationType: "new_vehicle_sale",
            performedOn: CalendarDate("\(year)-03-1\(vehicle % 10)")!, mileageKm: 5, customer: customer,
            amount: Amount(cents: 2_490_000 + vehicle % 100_000, currency: "EUR"), financing: Financing(mode: .loan, months: 48)
        )
        let service = RecordInput(
            sourceRef: "WO-\(vehicle)-1", vin: vin, kind: .service, operationType: "maintenance",
            performedOn: CalendarDate("\(year + 1)-06-1\(vehicle % 10)")!, mileageKm: 15_000 + vehicle % 5_000, customer: customer,
            amount: Amount(cents: 18_900, currency: "EUR"),
            lines: [ServiceLine(code: "OIL", label: "Engine oil, 5W30", quantity: 4.5, amountCents: 5_200),
                    ServiceLine(code: "FLT", label: "Oil filter", quantity: 1, amountCents: 1_400)],
            notes: "Routine service."
        )
        let third: (Int, RecordInput)
        if vehicle % 10 < 3 {
            third = (otherGroup, RecordInput(
                sourceRef: "VO-\(vehicle)", vin: vin, kind: .voSale, operationType: "used_vehicle_sale",
                performedOn: CalendarDate("\(year + 2)-09-1\(vehicle % 10)")!, mileageKm: 42_000 + vehicle % 20_000,
                customer: Customer(ref: "C-\(vehicle)-2", name: "Client \(vehicle) bis", consent: Consent(shareWithinGroup: true, marketing: false)),
                amount: Amount(cents: 1_450_000, currency: "EUR")
            ))
        } else {
            third = (sameGroup, RecordInput(
                sourceRef: "WO-\(vehicle)-2", vin: vin, kind: .service, operationType: ["repair", "tyres", "inspection"][vehicle % 3],
                performedOn: CalendarDate("\(year + 2)-11-1\(vehicle % 10)")!, mileageKm: 38_000 + vehicle % 20_000, customer: customer,
                amount: Amount(cents: 42_000, currency: "EUR"), lines: [ServiceLine(code: "LAB", label: "Labour", quantity: 2, amountCents: 18_000)]
            ))
        }
        return [(home, sale), (home, service), third]
    }

    /// Inserts the records of vehicles `range` (the benchmark's set-up, not a measured figure).
    static func seed(_ store: SQLiteHubStore, vehicles range: Range<Int>) async throws {
        try await store.seed(range) { vehicle in
            records(ofVehicle: vehicle).map { StoredRecord.make(enteredBy: dealer($0.dealer), input: $0.input) }
        }
    }
}

import CharterCore
import CharterPKI
import CharterServer
import Foundation

/// The `--demo` network: two groups, three dealers (two in one group), the brand and an auditor, with
/// a few records on one vehicle so that the three views (own, same group, cross group) can be compared.
struct DemoNetwork {
    static let vin = "VF3LCBHZ6JS000001"
    static let groups = [DealerGroup(id: "g-north", name: "Groupe Nord Automobiles"), DealerGroup(id: "g-south", name: "Groupe Rhône Autos")]
    static let members = [
        Member(id: "d-lille", kind: .dealer, group: "g-north", name: "Lion Lille"),
        Member(id: "d-roubaix", kind: .dealer, group: "g-north", name: "Lion Roubaix"),
        Member(id: "d-lyon", kind: .dealer, group: "g-south", name: "Lion Lyon"),
        Member(id: "brand", kind: .oem, name: "The brand"),
        Member(id: "auditor", kind: .auditor, name: "Network auditor"),
    ]

    let store: any HubStore
    let pki: PKIDirectory
    let operator_: LocalOperator

    /// Seeds the network unless it is already there; returns whether it seeded.
    func seed() async throws -> Bool {
        let directory = try await store.loadDirectory()
        guard directory.members[Self.members[0].id] == nil else { return false }
        for group in Self.groups where directory.groups[group.id] == nil {
            try await store.addGroup(group)
        }
        let enrollment = MemberEnrollment(store: store, pki: pki, operator: operator_)
        for member in Self.members {
            _ = try await enrollment.enroll(member)
        }
        let vin = try VIN(validating: Self.vin)
        let records: [(String, RecordInput)] = [
            ("d-lille", RecordInput(
                sourceRef: "LIL-VN-0001", vin: vin, kind: .vnSale, operationType: "new_vehicle_sale",
                performedOn: CalendarDate("2024-03-15")!, mileageKm: 12,
                customer: Customer(ref: "C-1001", name: "Camille Martin", email: "camille.martin@example.org",
                                   consent: Consent(shareWithinGroup: true, marketing: false)),
                amount: Amount(cents: 2_849_000, currency: "EUR"),
                financing: Financing(mode: .loan, months: 48, endsOn: CalendarDate("2028-03-15")),
                notes: "Delivered with winter tyres."
            )),
            ("d-roubaix", RecordInput(
                sourceRef: "RBX-APV-3310", vin: vin, kind: .service, operationType: "maintenance",
                performedOn: CalendarDate("2025-04-02")!, mileageKm: 15_400,
                customer: Customer(ref: "C-88", phone: "+33 3 20 00 00 00", consent: Consent(shareWithinGroup: false, marketing: false)),
                amount: Amount(cents: 21_900, currency: "EUR"),
                lines: [ServiceLine(code: "OIL-5W30", label: "Engine oil 5W30", quantity: 4.5, amountCents: 6_300)]
            )),
            ("d-lyon", RecordInput(
                sourceRef: "LYN-WO-77", vin: vin, kind: .service, operationType: "repair",
                performedOn: CalendarDate("2026-01-20")!, mileageKm: 30_210,
                lines: [ServiceLine(code: "BRK-F", label: "Front brake pads", quantity: 1, amountCents: 18_000)]
            )),
        ]
        let operator_ = self.operator_
        _ = try await store.insert(records.map { StoredRecord.make(enteredBy: $0.0, input: $0.1) }) { outcomes in
            [operator_.entry("demo.seed", target: .init(recordIds: outcomes.compactMap { if case .created(let record) = $0 { record.id } else { nil } }))]
        }
        return true
    }

    /// Ready-to-paste commands against a hub at `host:port`.
    func walkthrough(host: String, port: Int) -> String {
        let base = "https://\(host == "127.0.0.1" ? "localhost" : host):\(port)"
        func curl(_ member: String, _ rest: String) -> String {
            "curl --cacert \(pki.caCertificatePath) --cert \(pki.memberCertificatePath(member)) --key \(pki.memberKeyPath(member)) \(rest)"
        }
        return """
            Demo network ready. Try:
              # who am I?
              \(curl("d-lille", "\(base)/v1/whoami"))
              # the same vehicle seen by its seller (own), a group-mate (same_group) and a rival group (cross_group)
              \(curl("d-lille", "\(base)/v1/vehicles/\(Self.vin)/history"))
              \(curl("d-roubaix", "\(base)/v1/vehicles/\(Self.vin)/history"))
              \(curl("d-lyon", "\(base)/v1/vehicles/\(Self.vin)/history"))
              # push a service record
              \(curl("d-lyon", "-H 'Content-Type: application/json' -d '{\"sourceRef\":\"LYN-WO-78\",\"vin\":\"\(Self.vin)\",\"kind\":\"service\",\"operationType\":\"tyres\",\"performedOn\":\"2026-02-01\",\"mileageKm\":31002}' \(base)/v1/records"))
              # extract everything d-lille entered (C4): ask, poll until "ready", download (resumable with curl -C -)
              \(curl("d-lille", "-H 'Content-Type: application/json' -d '{\"format\":\"ndjson\"}' \(base)/v1/extractions"))
              \(curl("d-lille", "\(base)/v1/extractions/<id> -o manifest.json"))
              \(curl("d-lille", "\(base)/v1/extractions/<id>/content -o d-lille.ndjson"))
              swift run charterhub extract verify d-lille.ndjson --manifest manifest.json
              # the brand always declares a purpose (C5): without one 403; under warranty, vehicle-safety fields only
              \(curl("brand", "\(base)/v1/vehicles/\(Self.vin)/history"))
              \(curl("brand", "-H 'Charter-Purpose: warranty' \(base)/v1/vehicles/\(Self.vin)/history"))
              # a pending sale locks resale and transfer of the dealer's data (C8); see docs/charter.md for C6 and C7
              \(curl("brand", "-H 'Content-Type: application/json' -d '{\"action\":\"open\",\"buyer\":{\"name\":\"Garage Martin\",\"networkMember\":false}}' \(base)/v1/dealers/d-lille/sale"))
              \(curl("brand", "-H 'Charter-Purpose: resale' \(base)/v1/vehicles/\(Self.vin)/history"))
              # the auditor: signed checkpoint, and the access log's entries
              \(curl("auditor", "\(base)/v1/audit/checkpoint"))
              \(curl("auditor", "'\(base)/v1/audit/entries?limit=5'"))
            """
    }
}

import CharterCore
import CharterTestSupport
import Foundation
import Testing

@Suite struct FieldFilterTests {
    let filter: FieldFilter

    init() throws {
        filter = FieldFilter(policy: try Fixtures.policy())
    }

    let lille = Member(id: "d-lille", kind: .dealer, group: "g-north", name: "")
    let roubaix = Member(id: "d-roubaix", kind: .dealer, group: "g-north", name: "")
    let lyon = Member(id: "d-lyon", kind: .dealer, group: "g-south", name: "")

    @Test func relationsFollowOwnershipGroups() {
        #expect(FieldFilter.relation(of: lille, toOwner: "d-lille", ownerGroup: "g-north") == .own)
        #expect(FieldFilter.relation(of: roubaix, toOwner: "d-lille", ownerGroup: "g-north") == .sameGroup)
        #expect(FieldFilter.relation(of: lyon, toOwner: "d-lille", ownerGroup: "g-north") == .crossGroup)
        #expect(FieldFilter.relation(of: lyon, toOwner: "d-gone", ownerGroup: nil) == .crossGroup)
        #expect(FieldFilter.relation(of: Member(id: "brand", kind: .oem, name: ""), toOwner: "d-lille", ownerGroup: "g-north") == .oem)
    }

    @Test func crossGroupReleasesOnlyMileageAndOperationType() {
        let decision = filter.decide(
            caller: lyon, ownerID: "d-lille", in: MemberDirectory(revision: 1, groups: [], members: [lille], certificates: []),
            consent: Consent(shareWithinGroup: true, marketing: true)
        )
        #expect(decision == .allow(relation: .crossGroup, fields: FieldSet([.id, .visibility, .vin, .mileageKm, .operationType]), clause: "C2"))
    }

    @Test func sameGroupNeedsConsentForTheCustomer() {
        let with = filter.decide(.sameGroup, consent: Consent(shareWithinGroup: true, marketing: false))
        let without = filter.decide(.sameGroup, consent: Consent(shareWithinGroup: false, marketing: true))
        let none = filter.decide(.sameGroup, consent: nil)
        guard case .allow(_, let withFields, _) = with, case .allow(_, let withoutFields, _) = without, case .allow(_, let noneFields, _) = none else {
            Issue.record("same_group must allow")
            return
        }
        #expect(withFields.contains(.customer))
        #expect(!withFields.contains(.notes))
        #expect(!withoutFields.contains(.customer))
        #expect(!noneFields.contains(.customer))
        #expect(withFields.subtracting(withoutFields) == FieldSet([.customer]))
    }

    @Test func theBrandIsDeniedWithItsClause() {
        #expect(filter.decide(.oem, consent: nil).clause == "C5")
        guard case .deny = filter.decide(.oem, consent: nil) else {
            Issue.record("the brand must be denied")
            return
        }
    }

    @Test func withheldFieldsAreAbsentNotNull() throws {
        let input = try RecordDecoder(policy: filter.policy).decode(
            Fixtures.data(Fixtures.fullRecordJSON(sourceRef: "R", shareWithinGroup: false)), today: CalendarDate("2026-11-23")!
        )
        let record = StoredRecord.make(enteredBy: "d-lille", input: input)
        let view = RecordView(document: try RecordDocument(record), relation: .crossGroup, fields: FieldSet([.id, .visibility, .vin, .mileageKm, .operationType]))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(view.json)) as? [String: Any])
        #expect(Set(json.keys) == ["id", "visibility", "vin", "mileageKm", "operationType"])
        #expect(json["visibility"] as? String == "cross_group")
    }
}

import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// Random records × random member pairs across several groups: every view holds exactly the fields its
/// relation allows, so no cross-group leak is possible whatever the record carries.
@Suite struct FieldFilterPropertyTests {
    @Test(arguments: [1 as UInt64, 42, 20_261_123])
    func everyViewHoldsExactlyTheFieldsOfItsRelation(seed: UInt64) throws {
        let policy = try Fixtures.policy()
        let decoder = RecordDecoder(policy: policy)
        let filter = FieldFilter(policy: policy)
        var network = RandomNetwork(seed: seed)
        var seen = Set<Relation>()
        for iteration in 0..<700 {
            let (json, share) = network.recordJSON(sourceRef: "P-\(iteration)")
            let owner = network.dealer()
            let caller = network.dealer()
            let input = try decoder.decode(Fixtures.data(json), today: CalendarDate("2026-11-23")!)
            let record = StoredRecord.make(enteredBy: owner.id, input: input)
            let decision = filter.decide(FieldFilter.relation(of: caller, toOwner: owner.id, ownerGroup: owner.group), consent: input.customer?.consent)
            guard case .allow(let relation, let fields, _) = decision else {
                Issue.record("dealers always get a view, got \(decision)")
                continue
            }
            seen.insert(relation)
            let view = try JSONSerialization.jsonObject(with: Data(RecordView(document: RecordDocument(record), relation: relation, fields: fields).json)) as! [String: Any]
            let expected = Fixtures.expectedFields(relation: relation, present: RandomNetwork.presentFields(json), shareWithinGroup: share)
            #expect(Set(view.keys) == expected, "seed \(seed) iteration \(iteration): \(caller.id) reading \(owner.id)'s record as \(relation)")
            #expect(view["visibility"] as? String == relation.rawValue)
        }
        #expect(seen == [.own, .sameGroup, .crossGroup])
    }
}

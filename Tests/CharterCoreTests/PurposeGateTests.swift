import CharterCore
import CharterTestSupport
import Testing

/// The purpose gate's order of rules, on the shipped policy (C5, C6, C8). The policy's own cases
/// (`policies/tests/`) cover each clause; these cover what they cannot: undeclared purposes and
/// decisions taken before the touched dealerships are known.
@Suite struct PurposeGateTests {
    let policy: CharterPolicy
    let gate: PurposeGate
    let brand = Member(id: "brand", kind: .oem, name: "Brand")
    let pending = Member(id: "d-lille", kind: .dealer, group: "g-north", name: "Lille", saleStatus: .salePending)

    init() throws {
        policy = try Fixtures.policy()
        gate = PurposeGate(policy: policy)
    }

    @Test func anUndeclaredPurposeIsUnknownAndADealerGetsItsDefault() throws {
        #expect(throws: CharterError(.unknownPurpose, "", field: "Charter-Purpose")) { try policy.purpose(declared: "curiosity", by: .oem) }
        #expect(try policy.purpose(declared: nil, by: .dealer)?.name == "dealer_exchange")
        #expect(try policy.purpose(declared: nil, by: .oem) == nil)
        #expect(try policy.purpose(declared: nil, by: .auditor) == nil)
    }

    @Test func aLockedPurposeWaitsForTheDealershipsSoThatAPendingSaleIsNamed() throws {
        let resale = try #require(policy.purposes["resale"])
        #expect(gate.decide(.read, by: brand, purpose: resale, onBehalfOf: nil, touching: nil) == .allow, "decided once the records are known")
        guard case .deny(let clause, _) = gate.decide(.read, by: brand, purpose: resale, onBehalfOf: nil, touching: [pending]) else {
            Issue.record("resale on a dealership whose sale is pending must be refused")
            return
        }
        #expect(clause == "C8")
        guard case .deny(let idle, _) = gate.decide(.read, by: brand, purpose: resale, onBehalfOf: nil, touching: []) else {
            Issue.record("resale is refused by default")
            return
        }
        #expect(idle == "C5")
    }

    @Test func actingOnBehalfWaitsForTheRecordsAndNamesOnlyTheDealershipTheCallerNamed() throws {
        let marketing = try #require(policy.purposes["marketing_on_behalf"])
        let lyon = Member(id: "d-lyon", kind: .dealer, group: "g-south", name: "Lyon")
        #expect(gate.decide(.read, by: brand, purpose: marketing, onBehalfOf: "d-lille", touching: nil) == .allow)
        guard case .deny(_, let reason) = gate.decide(.read, by: brand, purpose: marketing, onBehalfOf: "d-lille", touching: [lyon]) else {
            Issue.record("d-lyon's data in d-lille's name must be refused")
            return
        }
        // Who entered the data is a field the purpose does not release; the refusal names only the caller's choice.
        #expect(!reason.contains("d-lyon") && reason.contains("d-lille"))
    }
}

import CharterCore
import CharterTestSupport
import Foundation
import Testing

@Suite struct PolicyCompilerTests {
    let source: String

    init() throws {
        source = try String(contentsOfFile: Fixtures.policiesDirectory + "/charter.yaml", encoding: .utf8)
    }

    func compileError(_ text: String) -> PolicyError? {
        thrownError { () throws(PolicyError) in try PolicyCompiler.compile(text, file: "charter.yaml") }
    }

    @Test func theShippedPolicyCompiles() throws {
        let policy = try PolicyCompiler.compile(source)
        #expect(policy.hash.count == 64)
        #expect(policy.operationTypes.contains("maintenance"))
        #expect(policy.rule(for: .crossGroup).fields == FieldSet([.id, .visibility, .vin, .mileageKm, .operationType]))
        #expect(policy.rule(for: .crossGroup).clause == "C2")
        #expect(policy.rule(for: .oem).denial != nil)
    }

    @Test func theShippedPolicyDeclaresPurposesAndTheSaleRules() throws {
        let policy = try PolicyCompiler.compile(source)
        #expect(policy.defaultPurposes == [.dealer: "dealer_exchange"], "the brand has no default (C5)")
        #expect(policy.purposes["warranty"]?.rule(for: .oem).fields == FieldSet([.id, .visibility, .vin, .kind, .operationType, .mileageKm, .performedOn]))
        #expect(policy.purposes["warranty"]?.rule(for: .crossGroup) == policy.rule(for: .crossGroup), "a relation a purpose leaves out keeps its rule")
        #expect(policy.purposes["marketing_on_behalf"]?.onBehalfOf == .required)
        #expect(policy.purposes["resale"]?.denial != nil)
        #expect(policy.sales.lockedPurposes == SaleRules.alwaysLocked)
        #expect(policy.sales.departedKeeps == [.extraction])
        #expect(policy.rule(for: .custodian).clause == "C7")
    }

    @Test func thePolicyCannotLoosenTheCharterOnPurposesOrSales() throws {
        let brandDefault = source.replacingOccurrences(of: "    callers: [oem]\n    uses: [read]\n    releases:\n      oem: { fields: [id, visibility, vin, kind, operationType, mileageKm, performedOn] }\n  recall:", with: "    callers: [oem]\n    defaultFor: [oem]\n    uses: [read]\n    releases:\n      oem: { fields: [id, visibility, vin, kind, operationType, mileageKm, performedOn] }\n  recall:")
        #expect(brandDefault != source)
        #expect(compileError(brandDefault)?.message.contains("C5") == true)
        let unlocked = source.replacingOccurrences(of: "lockedPurposes: [resale, third_party_share, network_transfer]", with: "lockedPurposes: [third_party_share, network_transfer]")
        #expect(compileError(unlocked)?.message.contains("resale") == true)
        let keepsReads = source.replacingOccurrences(of: "dealerKeeps: [extraction]", with: "dealerKeeps: [extraction, read]")
        #expect(compileError(keepsReads)?.message.contains("C6") == true)
        let undeclared = source.replacingOccurrences(of: "  third_party_share:\n", with: "  third_party_sharing:\n")
        #expect(compileError(undeclared)?.message.contains("third_party_share") == true)
        let unknownUse = source.replacingOccurrences(of: "    uses: [transfer]", with: "    uses: [resell]")
        #expect(compileError(unknownUse)?.message.contains("a use is one of read, write, extraction, transfer") == true)
    }

    @Test func anUnknownKeyIsReportedWithItsLine() throws {
        let text = source.replacingOccurrences(of: "  cross_group:\n    clause: C2\n", with: "  cross_group:\n    clause: C2\n    colour: blue\n")
        let error = try #require(compileError(text))
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("colour: blue") }.map { $0 + 1 }
        #expect(error.line == line)
        #expect(error.message.contains("colour"))
        #expect(error.description.hasPrefix("charter.yaml:\(line!):"))
    }

    @Test func aReleasedFieldMustBeInTheCatalog() throws {
        let text = source.replacingOccurrences(of: "fields: [id, visibility, vin, mileageKm, operationType]", with: "fields: [id, visibility, vin, mileageKm, colour]")
        let error = try #require(compileError(text))
        #expect(error.message.contains("'colour' is not a field"))
        #expect(error.line != nil)
    }

    @Test func everyViewCarriesIdAndVisibility() throws {
        let text = source.replacingOccurrences(of: "fields: [id, visibility, vin, mileageKm, operationType]", with: "fields: [vin, mileageKm, operationType]")
        #expect(try #require(compileError(text)).message.contains("'id' and 'visibility'"))
    }

    @Test func everyRelationNeedsARule() throws {
        let text = source.replacingOccurrences(of: "  auditor:\n    clause: C1\n", with: "  auditors_typo:\n    clause: C1\n")
        #expect(try #require(compileError(text)).message.contains("auditors_typo"))
    }

    @Test func clausesMustBeCharterIds() throws {
        let text = source.replacingOccurrences(of: "clause: C2", with: "clause: mileage")
        #expect(try #require(compileError(text)).message.contains("charter clause id"))
    }

    @Test func brokenYAMLNamesTheLine() throws {
        let error = try #require(compileError("version: 1\ncatalog: [unclosed\n"))
        #expect(error.line != nil)
        #expect(error.message.contains("YAML"))
    }

    @Test func theShippedPolicyTestsPass() throws {
        let outcomes = try PolicyTestSuite(policy: try Fixtures.policy()).run(directory: Fixtures.policiesDirectory + "/tests")
        #expect(outcomes.count >= 10)
        for outcome in outcomes {
            #expect(outcome.failure == nil, "\(outcome.name)")
        }
    }

    @Test func aWrongExpectationFailsItsPolicyTest() throws {
        let suite = PolicyTestSuite(policy: try Fixtures.policy())
        let outcomes = try suite.run("""
            cases:
              - name: cross group must not see the date
                relation: cross_group
                expect: { decision: allow, fields: [id, visibility, vin, mileageKm, operationType, performedOn] }
            """, file: "inline.yaml")
        #expect(outcomes.count == 1)
        #expect(outcomes[0].failure?.contains("expected fields") == true)
    }
}

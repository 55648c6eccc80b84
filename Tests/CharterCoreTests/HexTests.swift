import CharterCore
import Testing

@Suite struct HexTests {
    @Test func writesLowercaseDigitsTwoAByte() {
        #expect(Hex.string([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
    }

    @Test func randomIdentifiersAre128FreshBits() {
        let identifiers = (0..<1_000).map { _ in Hex.randomIdentifier() }
        #expect(Set(identifiers).count == identifiers.count)
        #expect(identifiers.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
        // Every bit position takes both values across a thousand draws; a stuck byte would show here.
        let seen = identifiers.map { Array($0.utf8) }.reduce(into: Array(repeating: Set<UInt8>(), count: 32)) { sets, digits in
            for (position, digit) in digits.enumerated() { sets[position].insert(digit) }
        }
        #expect(seen.allSatisfy { $0.count == 16 })
    }
}

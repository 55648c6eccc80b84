import CharterCore
import Testing

@Suite struct HexTests {
    @Test func writesLowercaseDigitsTwoAByte() {
        #expect(Hex.string([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
    }

    /// One at a time, and a batch in one draw that spans many 256-byte calls to the system.
    @Test(arguments: [false, true]) func randomIdentifiersAre128FreshBits(inOneDraw: Bool) {
        let identifiers = inOneDraw ? Hex.randomIdentifiers(count: 1_000) : (0..<1_000).map { _ in Hex.randomIdentifier() }
        #expect(identifiers.count == 1_000)
        #expect(Set(identifiers).count == identifiers.count)
        #expect(identifiers.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
        // Every bit position takes both values across a thousand draws; a stuck byte would show here.
        let seen = identifiers.map { Array($0.utf8) }.reduce(into: Array(repeating: Set<UInt8>(), count: 32)) { sets, digits in
            for (position, digit) in digits.enumerated() { sets[position].insert(digit) }
        }
        #expect(seen.allSatisfy { $0.count == 16 })
    }

    @Test func twoBatchesShareNoIdentifier() {
        #expect(Hex.randomIdentifiers(count: 0).isEmpty)
        let first = Hex.randomIdentifiers(count: 10_000), second = Hex.randomIdentifiers(count: 10_000)
        #expect(Set(first + second).count == 20_000)
    }
}

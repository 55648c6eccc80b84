@testable import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// Stored bodies and their content hashes were written by `JSONEncoder` before the hand-written writer:
/// the two must agree byte for byte on every record, or a DMS resending an old record would get a conflict.
@Suite struct CanonicalRecordWriterTests {
    static func encoderJSON(_ input: RecordInput) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(input))
    }

    /// Text that exercises every escaping rule: all C0 controls, DEL, C1, quotes, backslash, slash,
    /// line and paragraph separators, a BOM, combining marks and an astral scalar.
    static let awkwardScalars: [Unicode.Scalar] = (UInt8(0)..<0x20).map(Unicode.Scalar.init)
        + ["\u{7F}", "\u{85}", "\u{A0}", "\"", "\\", "/", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{301}", "é", "😀", "a", "Z", "0", " "]

    static func text(_ generator: inout SeededGenerator, maxLength: Int = 12) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &generator) { text.append(awkwardScalars.randomElement(using: &generator)!) }
        return String(text)
    }

    static func maybe<T>(_ generator: inout SeededGenerator, _ make: (inout SeededGenerator) -> T) -> T? {
        Bool.random(using: &generator) ? make(&generator) : nil
    }

    static func input(_ generator: inout SeededGenerator) -> RecordInput {
        let quantities: [Double] = [1, 0.5, 2.25, 1e-05, 0.1 + 0.2, 1_000_000, 999_999.999_999_9, 1e-7, 3]
        return RecordInput(
            sourceRef: text(&generator), vin: try! VIN(validating: "VF3ABCDEF12345678"), kind: RecordKind.allCases.randomElement(using: &generator)!,
            operationType: text(&generator), performedOn: CalendarDate("2025-0\(Int.random(in: 1...9, using: &generator))-05")!,
            mileageKm: Int.random(in: 0...2_000_000, using: &generator),
            customer: maybe(&generator) { g in
                Customer(
                    ref: maybe(&g) { text(&$0) }, name: maybe(&g) { text(&$0) }, email: maybe(&g) { text(&$0) }, phone: maybe(&g) { text(&$0) },
                    consent: Consent(shareWithinGroup: .random(using: &g), marketing: .random(using: &g))
                )
            },
            amount: maybe(&generator) { Amount(cents: Int.random(in: -5...100_000_000_000, using: &$0), currency: text(&$0, maxLength: 3)) },
            lines: maybe(&generator) { g in
                (0..<Int.random(in: 0...4, using: &g)).map { _ in
                    ServiceLine(
                        code: text(&g), label: maybe(&g) { text(&$0) }, quantity: maybe(&g) { quantities.randomElement(using: &$0)! },
                        amountCents: maybe(&g) { Int.random(in: -100_000_000_000...100_000_000_000, using: &$0) }
                    )
                }
            },
            financing: maybe(&generator) { g in
                Financing(mode: Financing.Mode.allCases.randomElement(using: &g)!, months: maybe(&g) { Int.random(in: 1...120, using: &$0) },
                          endsOn: maybe(&g) { _ in CalendarDate("2029-10-01")! })
            },
            notes: maybe(&generator) { text(&$0, maxLength: 40) }
        )
    }

    @Test func writesWhatJSONEncoderWrote() throws {
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<2_000 {
            let input = Self.input(&generator)
            let written = CanonicalRecordWriter.json(input)
            let expected = try Self.encoderJSON(input)
            #expect(written == expected, "\(String(decoding: written, as: UTF8.self)) ≠ \(String(decoding: expected, as: UTF8.self))")
            if written != expected { return }
        }
    }

    @Test func theFullFixtureRecordIsUnchanged() throws {
        let input = try RecordDecoder(policy: Fixtures.policy()).decode(Fixtures.data(Fixtures.fullRecordJSON(sourceRef: "A-1", shareWithinGroup: true)))
        #expect(CanonicalRecordWriter.json(input) == (try Self.encoderJSON(input)))
    }
}

import CharterCore
import CharterTestSupport
import Foundation
import Testing

@Suite struct CanonicalJSONTests {
    static let tricky = ["plain", "quote \" and backslash \\", "line\nbreak\ttab\r", "bell \u{07} nul \u{00}", "slash / stays", "accents é ß 中文 🚗", ""]

    @Test func entriesRoundTripAndDecodeLikeFoundation() throws {
        for text in Self.tricky {
            let entry = AccessLogEntry(
                actor: text, actorKind: "dealer", action: "record.read", decision: .deny, clause: "C2", purpose: text,
                target: .init(vin: "VF3ABCDEF12345678", recordIds: ["a", text], dealer: "d-1"), fields: ["cross_group": ["id", text], text: []],
                code: "forbidden", policyHash: "h", requestId: "r"
            )
            let leaf = entry.canonicalJSON()
            #expect(try AccessLogEntry.parseCanonical(leaf) == entry)
            #expect(try JSONDecoder().decode(AccessLogEntry.self, from: leaf) == entry, "Foundation reads the same entry")
        }
    }

    @Test func nonCanonicalBytesAreRefused() throws {
        let entry = AccessLogEntry(actor: "a/b", actorKind: "dealer", action: "x", decision: .allow, policyHash: "h", requestId: "r")
        let leaf = String(decoding: entry.canonicalJSON(), as: UTF8.self)
        #expect(leaf.hasPrefix("{\"action\":\"x\",\"actor\":\"a/b\",\"actorKind\":\"dealer\",\"decision\":\"allow\""))
        let variants = [
            leaf.replacingOccurrences(of: ",", with: ", "),
            leaf.replacingOccurrences(of: "a/b", with: "a\\/b"),
            leaf.replacingOccurrences(of: "\"x\"", with: "\"\\u0078\""),
            "{\"actor\":\"a/b\"," + leaf.dropFirst(1).replacingOccurrences(of: "\"actor\":\"a/b\",", with: ""),
            leaf.replacingOccurrences(of: "}", with: ",\"action\":\"y\"}"),
            leaf + " ",
            leaf.replacingOccurrences(of: "\"action\"", with: "\"\\u0061ction\""),
            leaf.replacingOccurrences(of: "{", with: "{\"action\":\"x\","),
        ]
        for variant in variants {
            #expect(throws: CharterError.self, "\(variant)") { try AccessLogEntry.parseCanonical(Data(variant.utf8)) }
        }
    }

    @Test func malformedJSONIsRefusedWithAnOffset() {
        for bad in ["", "{", "\"unterminated", "{\"action\":\"x\"}x", "{\"action\":\"x\",}", "{\"action\":\"x\" \"actor\":\"y\"}", "{\"action\":\"x"] {
            let error = thrownError { () throws(CharterError) in try AccessLogEntry.parseCanonical(Data(bad.utf8)) }
            #expect(error?.code == .invalidJSON, "\(bad)")
            #expect(error?.message.contains("at byte") == true, "\(bad): \(String(describing: error))")
        }
    }

    @Test func wrongMembersAreNamed() {
        let cases = [
            ("{\"action\":1}", "action"), ("{\"religion\":\"x\"}", "religion"), ("{\"target\":[]}", "target"),
            ("{\"target\":{\"recordCount\":1.5}}", "target.recordCount"), ("{\"target\":{\"color\":\"red\"}}", "target.color"),
            ("{\"target\":{\"recordCount\":1234567890123456789}}", "target.recordCount"),
            ("{\"fields\":{\"own\":\"id\"}}", "fields.own"), ("{\"fields\":{\"own\":[1]}}", "fields.own[0]"),
            ("{\"target\":{\"recordIds\":[\"r1\",null]}}", "target.recordIds[1]"), ("{\"action\":\"x\"}", "time"),
        ]
        for (bad, field) in cases {
            let error = thrownError { () throws(CharterError) in try AccessLogEntry.parseCanonical(Data(bad.utf8)) }
            #expect(error?.code == .invalidRecord, "\(bad)")
            #expect(error?.field == field, "\(bad): \(String(describing: error))")
        }
    }

    /// The entry writer is hand-written for the append path; it must give the bytes of the generic
    /// serializer for every entry, reached here through Foundation's own encoding and parsing.
    @Test func entryWriterMatchesTheGenericSerializer() throws {
        var generator = SeededGenerator(seed: 61)
        // Every awkward scalar but U+FEFF, which Foundation's `JSONSerialization` drops from strings.
        func text(_ g: inout SeededGenerator) -> String {
            String(String.UnicodeScalarView(CanonicalRecordWriterTests.text(&g).unicodeScalars.filter { $0 != "\u{FEFF}" }))
        }
        for _ in 0..<2_000 {
            let entry = AccessLogEntry(
                actor: text(&generator), actorKind: text(&generator), action: text(&generator), decision: Bool.random(using: &generator) ? .allow : .deny,
                clause: CanonicalRecordWriterTests.maybe(&generator, text), purpose: CanonicalRecordWriterTests.maybe(&generator, text),
                onBehalfOf: CanonicalRecordWriterTests.maybe(&generator, text),
                target: CanonicalRecordWriterTests.maybe(&generator) { g in
                    AccessLogEntry.Target(
                        vin: CanonicalRecordWriterTests.maybe(&g, text),
                        recordIds: CanonicalRecordWriterTests.maybe(&g) { g in (0..<Int.random(in: 0...3, using: &g)).map { _ in text(&g) } },
                        dealer: CanonicalRecordWriterTests.maybe(&g, text), extraction: CanonicalRecordWriterTests.maybe(&g, text),
                        group: CanonicalRecordWriterTests.maybe(&g, text), saleStatus: CanonicalRecordWriterTests.maybe(&g, text),
                        custodian: CanonicalRecordWriterTests.maybe(&g, text),
                        recordCount: CanonicalRecordWriterTests.maybe(&g) { Int.random(in: -5...1_000_000, using: &$0) }
                    )
                },
                fields: CanonicalRecordWriterTests.maybe(&generator) { g in
                    Dictionary((0..<Int.random(in: 0...3, using: &g)).map { _ in (text(&g), [text(&g), text(&g)]) }) { first, _ in first }
                },
                code: CanonicalRecordWriterTests.maybe(&generator, text), policyHash: text(&generator), requestId: text(&generator)
            )
            let leaf = entry.canonicalJSON()
            let foundation = try JSONSerialization.jsonObject(with: JSONEncoder().encode(entry), options: [.fragmentsAllowed])
            #expect(Array(leaf) == CanonicalJSON.serialize(try Self.value(foundation)), "\(entry)")
            #expect(try AccessLogEntry.parseCanonical(leaf) == entry)
        }
    }

    /// Foundation's untyped JSON as a `CanonicalJSON.Value`.
    static func value(_ object: Any) throws -> CanonicalJSON.Value {
        switch object {
        case let text as String: return .string(text)
        case let number as NSNumber: return .integer(number.intValue)
        case let array as [Any]: return .array(try array.map(value))
        case let members as [String: Any]: return .object(try members.map { ($0.key, try value($0.value)) })
        default: throw CharterError(.invalidJSON, "unexpected \(type(of: object)) in an entry")
        }
    }
}

import CharterCore
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
        ]
        for variant in variants {
            #expect(throws: CharterError.self, "\(variant)") { try AccessLogEntry.parseCanonical(Data(variant.utf8)) }
        }
    }

    @Test func malformedJSONIsRefusedWithAnOffset() {
        for bad in ["{", "{\"a\":}", "[1,]", "\"unterminated", "{\"a\":1}x", "{\"a\":1.5}"] {
            #expect(throws: CanonicalJSON.ParseError.self, "\(bad)") { try CanonicalJSON.parse(Array(bad.utf8)) }
        }
    }
}

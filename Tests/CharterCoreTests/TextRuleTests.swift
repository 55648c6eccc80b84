@testable import CharterCore
import Testing

/// `TextRule` compares scalar values instead of asking Unicode for each scalar's category; the two must agree.
@Suite struct TextRuleTests {
    @Test func theControlRangeIsExactlyUnicodesControlCategory() {
        let byCategory = (UInt32(0)...0x10FFFF).filter { value in
            Unicode.Scalar(value).map { $0.properties.generalCategory == .control } ?? false
        }
        #expect(byCategory == Array(0...0x1F) + Array(0x7F...0x9F))
    }

    @Test(arguments: ["bell\u{07}", "del\u{7F}", "c1\u{85}", "line\nbreak"])
    func refusesControlCharacters(text: String) {
        #expect(throws: CharterError.self) { try TextRule.check(text, "notes", length: 1...100) }
    }

    @Test(arguments: ["", "plain", "a\r\nb", "\r\r\n\n", "\n\r", "caf\u{E9}", "e\u{301}", "\u{1F1EB}\u{1F1F7}"])
    func countsAsciiAsUnicodeDoes(text: String) {
        #expect((TextRule.asciiCount(text.utf8) ?? text.count) == text.count)
    }

    @Test func multilineTextMayBreakLines() throws {
        try TextRule.check("first\r\nsecond\tcolumn", "notes", length: 1...100, multiline: true)
        #expect(throws: CharterError.self) { try TextRule.check("no\u{0C}form feed", "notes", length: 1...100, multiline: true) }
    }
}

@testable import CharterCore
import Testing

/// The ASCII fast path must fold exactly as the Foundation path it short-cuts (D2 matching depends on it).
@Suite struct TextNormalizerTests {
    @Test(arguments: ["Very UNPLEASANT on the phone", "  a--b__C9 ", "", "Oil filter, 5W30 (x2)!", "tab\there\nline", "Z@[`{"])
    func theASCIIFastPathFoldsAsFoundationDoes(text: String) {
        #expect(TextNormalizer.words(text) == TextNormalizer.unicodeWords(text))
    }

    @Test func nonASCIITextIsFoldedByFoundation() {
        #expect(TextNormalizer.words("Prévoir RELIGIÓN") == " prevoir religion ")
    }
}

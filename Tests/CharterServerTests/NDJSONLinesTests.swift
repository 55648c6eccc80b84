import Testing

@testable import CharterServer

@Suite struct NDJSONLinesTests {
    private func split(_ text: String, limit: Int = 100) -> [String] {
        NDJSONLines.nonBlank(in: Array(text.utf8), limit: limit).map { "\($0.number):\(String(decoding: $0.bytes, as: UTF8.self))" }
    }

    @Test func numbersEveryLineAndSkipsTheBlankOnes() {
        #expect(split("{\"a\":1}\n\n  \t\n{\"b\":2}\n") == ["1:{\"a\":1}", "4:{\"b\":2}"])
    }

    @Test func dropsTheCarriageReturnOfCRLFOnly() {
        #expect(split("a\r\nb\r\r\nc") == ["1:a", "2:b\r", "3:c"])
    }

    @Test func keepsALastLineWithoutNewlineAndAnswersNothingForAnEmptyBody() {
        #expect(split("x") == ["1:x"])
        #expect(split("") == [])
        #expect(split("\n\n").isEmpty)
        #expect(split(" y ") == ["1: y "])
    }

    /// A body of tiny lines is not split past the limit: the handler needs only to know it is over.
    @Test func stopsOneLinePastTheLimit() {
        #expect(split("a\nb\n\nc\nd\ne\n", limit: 2) == ["1:a", "2:b", "4:c"])
        #expect(split("a\nb", limit: 2) == ["1:a", "2:b"])
        #expect(NDJSONLines.nonBlank(in: Array(String(repeating: "1\n", count: 1_000_000).utf8), limit: 10_000).count == 10_001)
    }
}

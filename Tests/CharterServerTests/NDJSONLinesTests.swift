import Testing

@testable import CharterServer

@Suite struct NDJSONLinesTests {
    private func split(_ text: String) -> [String] {
        NDJSONLines.nonBlank(in: Array(text.utf8)).map { "\($0.number):\(String(decoding: $0.bytes, as: UTF8.self))" }
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
}

import CharterTestSupport
import Foundation
import Testing

@testable import CharterServer

/// The batch answer is written by hand; it must stay the bytes the responses' `JSONEncoder` gives for the same value.
@Suite struct BatchResultTests {
    @Test func theHandWrittenAnswerIsTheEncodersBytes() throws {
        var generator = SeededGenerator(seed: 6)  // reproducible: a failing mix can be replayed
        let texts = ["rec_00ff", "created", "a/b \"quoted\" \\ back", "tab\tnew\nline\u{01}", "é ü 日本 🚗", ""]
        for size in [0, 1, 2, 50] {
            let results = (0..<size).map { line -> RecordController.LineResult in
                let text = texts.randomElement(using: &generator)!
                if Bool.random(using: &generator) {
                    return .init(line: line + 1, status: "created", id: text, error: nil)
                }
                let error = HubError.Body(
                    code: "invalid_record", message: text, clause: Bool.random(using: &generator) ? "D2" : nil,
                    field: Bool.random(using: &generator) ? "customer.name" : nil
                )
                return .init(line: line + 1, status: "rejected", id: nil, error: error)
            }
            let rejected = results.filter { $0.error != nil }.count
            let result = RecordController.BatchResult(accepted: size - rejected, rejected: rejected, results: results)
            #expect(try result.json() == Array(JSONBody.encode(result)))
        }
    }
}

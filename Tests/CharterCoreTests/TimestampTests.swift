import CharterCore
import Foundation
import Testing

struct TimestampTests {
    /// Every millisecond of a second, on dates across the hub's range: what the hub reads back from its own
    /// store or an auditor's bound must be written back unchanged, or a query misses the entry it names.
    @Test func everyMillisecondReadsBackUnchanged() {
        for prefix in ["1970-01-01T00:00:00", "2026-11-24T10:54:08", "2099-12-31T23:59:59"] {
            for millisecond in 0..<1_000 {
                let text = prefix + "." + String(format: "%03d", millisecond) + "Z"
                let date = Timestamp.parse(text)
                #expect(date.map(Timestamp.string) == text)
            }
        }
    }

    @Test func timesBetweenMillisecondsGoToTheNearest() throws {
        let base = try #require(Timestamp.parse("2026-11-24T10:54:08.107Z"))
        #expect(Timestamp.string(base.addingTimeInterval(0.0004)) == "2026-11-24T10:54:08.107Z")
        #expect(Timestamp.string(base.addingTimeInterval(0.0006)) == "2026-11-24T10:54:08.108Z")
        #expect(Timestamp.string(base.addingTimeInterval(0.893)) == "2026-11-24T10:54:09.000Z")
        #expect(Timestamp.parse("2026-11-24T10:54:08Z").map(Timestamp.string) == "2026-11-24T10:54:08.000Z")
    }
}

@testable import CharterCore
import Foundation
import Testing

/// `YYYY-MM-DD` read and written: what a record stores must read back as the same day.
@Suite struct CalendarDateTests {
    @Test(arguments: ["1900-01-01", "2024-02-29", "2026-11-24", "9999-12-31"])
    func writesBackWhatItReads(text: String) throws {
        #expect(try #require(CalendarDate(text)).description == text)
    }

    @Test func padsSmallYearsAndWritesLargeOnesWhole() {
        // Years the parser refuses can still come from an instant; they are written, never truncated.
        #expect(CalendarDate(Date(timeIntervalSince1970: -30_000_000_000)).description == "1019-04-28")
        #expect(CalendarDate(Date(timeIntervalSince1970: -60_000_000_000)).description.hasPrefix("0068-"))
        #expect(CalendarDate(Date(timeIntervalSince1970: 400_000_000_000)).description.hasPrefix("14645-"))
    }

    @Test(arguments: ["2023-02-29", "2026-13-01", "2026-1-01", "1899-12-31", "2026-11-24T00"])
    func refusesWhatIsNotADay(text: String) {
        #expect(CalendarDate(text) == nil)
    }
}

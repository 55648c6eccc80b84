import Foundation

/// A civil date (`YYYY-MM-DD`) with no time zone, as DMSs record when work was done.
///
/// Kept apart from `Date` so that a date never shifts by a day through a time-zone conversion.
public struct CalendarDate: Sendable, Hashable, Comparable, Encodable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses the strict ISO 8601 calendar form `YYYY-MM-DD`; returns nil for anything else or a date that does not exist.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        guard year >= 1900, (1...12).contains(month), (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The civil date of `instant` at a fixed offset from UTC.
    public init(_ instant: Date, utcOffsetSeconds: Int = 0) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds) ?? TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = parts.year ?? 1970
        self.month = parts.month ?? 1
        self.day = parts.day ?? 1
    }

    /// The latest date that is already "today" somewhere on Earth (UTC+14), so a record entered just after
    /// local midnight is never refused as being in the future.
    public static func latestToday(at instant: Date = Date()) -> CalendarDate {
        CalendarDate(instant, utcOffsetSeconds: 14 * 3600)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        guard (0...9999).contains(year) else {
            let m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
            return "\(year)-" + m + "-" + d
        }
        // Ten digits and dashes written in place: every record stored and every body written formats its dates.
        return String(unsafeUninitializedCapacity: 10) { out in
            func digits(_ value: Int, _ count: Int, at start: Int) {
                var value = value
                for index in (start..<(start + count)).reversed() {
                    out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            digits(year, 4, at: 0)
            out[4] = UInt8(ascii: "-")
            digits(month, 2, at: 5)
            out[7] = UInt8(ascii: "-")
            digits(day, 2, at: 8)
            return 10
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

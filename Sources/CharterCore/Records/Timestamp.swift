import Foundation

/// RFC 3339 UTC timestamps with milliseconds, the one form the hub writes (`2026-11-23T08:30:00.123Z`).
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0)!)

    /// Formats `date` in UTC.
    public static func string(_ date: Date) -> String {
        style.format(date)
    }

    /// Parses what `string(_:)` writes (and RFC 3339 without fractions).
    public static func parse(_ text: String) -> Date? {
        if let date = try? style.parse(text) { return date }
        return try? Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!).parse(text)
    }
}

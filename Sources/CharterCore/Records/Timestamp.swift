import Foundation

/// RFC 3339 UTC timestamps with milliseconds, the one form the hub writes (`2026-11-23T08:30:00.123Z`).
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0)!)

    /// Formats `date` in UTC, to the nearest millisecond.
    public static func string(_ date: Date) -> String {
        // The style truncates to the millisecond, and a parsed `.107` is stored as a double just under it: half
        // a millisecond more makes the truncation a rounding, so what `parse` reads is written back unchanged
        // (without it, `.107` came back as `.106`, and an auditor's inclusive `until` missed its own entry).
        style.format(date.addingTimeInterval(0.0005))
    }

    /// Parses what `string(_:)` writes (and RFC 3339 without fractions).
    public static func parse(_ text: String) -> Date? {
        if let date = try? style.parse(text) { return date }
        return try? Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!).parse(text)
    }
}

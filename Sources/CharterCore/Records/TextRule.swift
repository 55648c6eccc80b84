/// Length and character rules for the record's text members. Counts are in Unicode characters.
enum TextRule {
    /// Refuses text outside `length` or carrying control characters (line breaks too unless `multiline`).
    static func check(_ text: String, _ path: String, length: ClosedRange<Int>, multiline: Bool = false) throws(CharterError) {
        // ASCII, most DMS text, is one character a byte: no grapheme breaking to count it.
        let count = text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
        guard length.contains(count) else {
            if count < length.lowerBound {
                throw .invalid(path, "\(path) must not be empty")
            }
            throw .invalid(path, "\(path) is \(count) characters long; the limit is \(length.upperBound)")
        }
        // Unicode's control category (Cc) is exactly C0, DEL and C1; comparing values avoids a property lookup per scalar.
        for scalar in text.unicodeScalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            if multiline && (scalar == "\n" || scalar == "\r" || scalar == "\t") { continue }
            throw .invalid(path, "\(path) must not contain control characters")
        }
    }
}

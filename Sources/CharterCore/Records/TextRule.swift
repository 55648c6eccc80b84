/// Length and character rules for the record's text members. Counts are in Unicode characters.
enum TextRule {
    /// Refuses text outside `length` or carrying control characters (line breaks too unless `multiline`).
    static func check(_ text: String, _ path: String, length: ClosedRange<Int>, multiline: Bool = false) throws(CharterError) {
        let count = asciiCount(text.utf8) ?? text.count
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

    /// The characters of ASCII text without grapheme breaking, which most DMS text never needs: each byte is
    /// one character but an LF after a CR, the one pair of ASCII that makes a single character. Nil otherwise.
    static func asciiCount(_ bytes: String.UTF8View) -> Int? {
        var count = 0, previous: UInt8 = 0
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            if !(byte == 0x0A && previous == 0x0D) { count += 1 }
            previous = byte
        }
        return count
    }
}

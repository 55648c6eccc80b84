/// The typed reads of the hub's strict readers (`RecordReader` for a DMS's records, `AccessLogEntry` for an
/// auditor's leaves): each refuses another kind of value with the member's path in the field and the
/// message, so both inputs are refused in the same words.
extension JSONScanner {
    /// The string at the scanner, escapes decoded; `path` names the member in a refusal.
    mutating func text(at path: @autoclosure () -> String) throws(CharterError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw Self.mismatch(at: path(), "a string") }
        return try text()
    }

    mutating func bool(at path: @autoclosure () -> String) throws(CharterError) -> Bool {
        guard peek() == UInt8(ascii: "t") || peek() == UInt8(ascii: "f") else { throw Self.mismatch(at: path(), "true or false") }
        return try bool()
    }

    /// A whole number written without fraction or exponent, at most 18 digits, so it cannot overflow
    /// (every range the hub reads is far smaller).
    mutating func integer(at path: @autoclosure () -> String) throws(CharterError) -> Int {
        guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw Self.mismatch(at: path(), "a whole number")
        }
        let text = bytes[try number()]
        let negative = text.first == UInt8(ascii: "-")
        let digits = text.dropFirst(negative ? 1 : 0)
        guard digits.count <= 18, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw Self.mismatch(at: path(), "a whole number")
        }
        let magnitude = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return negative ? -magnitude : magnitude
    }

    /// A finite number.
    mutating func number(at path: @autoclosure () -> String) throws(CharterError) -> Double {
        guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
            let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[try number()]), as: UTF8.self)),
            value.isFinite
        else { throw Self.mismatch(at: path(), "a number") }
        return value
    }

    /// The refusal of a member holding another kind of value than `expected` ("a string", "an object").
    static func mismatch(at path: String, _ expected: String) -> CharterError {
        .invalid(path, "\(path) must be \(expected)")
    }
}

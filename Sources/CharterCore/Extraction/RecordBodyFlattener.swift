/// Finds the CSV columns' values in a stored record body (a JSON object) without decoding it into a
/// `RecordInput`: one pass over the bytes, no allocation per field, so a CSV extraction streams at
/// the same order of speed as NDJSON.
///
/// Each column gets the byte range of its value: a string's contents (still JSON-escaped), a number
/// or literal as written, or the whole JSON text of an array (`lines`). A member that has no column
/// is an error rather than silently dropped, since an extraction must hold everything.
struct RecordBodyFlattener {
    /// Where one column's value lies in the body.
    struct Cell {
        var range: Range<Int>
        /// A JSON string's contents: unescape before writing.
        var isString: Bool
        var hasEscapes: Bool
    }

    /// The dotted column names as bytes, in `ExtractionEncoder.Column` order.
    static let paths: [[UInt8]] = ExtractionEncoder.Column.allCases.map { Array($0.rawValue.utf8) }

    let bytes: UnsafeRawBufferPointer
    var position = 0

    /// Fills `cells` (one slot per column, nil when absent) from `body`.
    static func flatten(_ body: UnsafeRawBufferPointer, into cells: inout [Cell?]) throws(CharterError) {
        var flattener = RecordBodyFlattener(bytes: body)
        try flattener.object(prefix: [], into: &cells)
        flattener.skipWhitespace()
        guard flattener.position == body.count else { throw flattener.failure("trailing bytes after the record") }
    }

    private mutating func object(prefix: [UInt8], into cells: inout [Cell?]) throws(CharterError) {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            let key = try string().range
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let keyBytes = UnsafeRawBufferPointer(rebasing: bytes[key])
            switch peek() {
            case UInt8(ascii: "{"):
                var nested = prefix
                nested += keyBytes
                nested.append(UInt8(ascii: "."))
                guard Self.paths.contains(where: { $0.starts(with: nested) }) else { throw failure("member '\(String(decoding: nested.dropLast(), as: UTF8.self))' has no CSV column") }
                try object(prefix: nested, into: &cells)
            default:
                let start = position
                let isString = peek() == UInt8(ascii: "\"")
                var hasEscapes = false
                var range: Range<Int>
                if isString {
                    (range, hasEscapes) = try string()
                } else {
                    try skipValue()
                    range = start..<position
                }
                guard let column = Self.column(prefix, keyBytes) else {
                    throw failure("member '\(String(decoding: prefix + keyBytes, as: UTF8.self))' has no CSV column")
                }
                if bytes[start] != UInt8(ascii: "n") {  // null is an empty cell
                    cells[column] = Cell(range: range, isString: isString, hasEscapes: hasEscapes)
                }
            }
            skipWhitespace()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private static func column(_ prefix: [UInt8], _ key: UnsafeRawBufferPointer) -> Int? {
        paths.firstIndex { path in
            path.count == prefix.count + key.count && path.starts(with: prefix) && path[prefix.count...].elementsEqual(key)
        }
    }

    /// A string at `position`: the range of its contents (without quotes), and whether it holds escapes.
    private mutating func string() throws(CharterError) -> (range: Range<Int>, hasEscapes: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = position
        var hasEscapes = false
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return (start..<(position - 1), hasEscapes)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                position += 2
            default:
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    /// Skips a number, literal, array or object, minding strings inside.
    private mutating func skipValue() throws(CharterError) {
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                _ = try string()
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return }
                depth -= 1
                if depth == 0 { position += 1; return }
            case UInt8(ascii: ","):
                if depth == 0 { return }
            default:
                break
            }
            position += 1
        }
        if depth > 0 { throw failure("unterminated array or object") }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func next() -> UInt8? {
        defer { position += 1 }
        return peek()
    }

    private mutating func expect(_ byte: UInt8) throws(CharterError) {
        guard next() == byte else { throw failure("expected '\(Character(UnicodeScalar(byte)))'") }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func failure(_ reason: String) -> CharterError {
        CharterError(.invalidRecord, "a stored record body cannot be written as CSV at byte \(position): \(reason)")
    }

    /// Appends the unescaped contents of a JSON string.
    static func unescape(_ contents: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(CharterError) {
        var index = 0
        while index < contents.count {
            if contents[index] == UInt8(ascii: "\\") {
                do {
                    index = try JSONEscape.decode(contents, letterAt: index + 1, into: &out)
                } catch {
                    throw CharterError(.invalidRecord, "a stored record body holds an invalid JSON escape")
                }
            } else {
                out.append(contents[index])
                index += 1
            }
        }
    }
}

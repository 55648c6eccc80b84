/// Finds the CSV columns' values in a stored record body (a JSON object) without decoding it into a
/// `RecordInput`: one pass over the bytes, no allocation per field, so a CSV extraction streams at
/// the same order of speed as NDJSON.
///
/// Each column gets the byte range of its value: a string's contents (still JSON-escaped), a number
/// or literal as written, or the whole JSON text of an array (`lines`). A member that has no column
/// is an error rather than silently dropped, since an extraction must hold everything.
enum RecordBodyFlattener {
    /// Where one column's value lies in the body.
    struct Cell {
        var range: Range<Int>
        /// A JSON string's contents: unescape before writing.
        var isString: Bool
        var hasEscapes: Bool
    }

    /// The dotted column names as bytes, in `ExtractionEncoder.Column` order.
    static let paths: [[UInt8]] = ExtractionEncoder.Column.allCases.map { Array($0.rawValue.utf8) }

    /// Fills `cells` (one slot per column, nil when absent) from `body`.
    static func flatten(_ body: UnsafeRawBufferPointer, into cells: inout [Cell?]) throws(CharterError) {
        var scanner = JSONScanner(body, task: "a stored record body cannot be written as CSV")
        try object(&scanner, prefix: [], into: &cells)
        try scanner.requireEnd()
    }

    private static func object(_ scanner: inout JSONScanner, prefix: [UInt8], into cells: inout [Cell?]) throws(CharterError) {
        try scanner.forEachMember { scanner, key throws(CharterError) in
            let keyBytes = UnsafeRawBufferPointer(rebasing: scanner.bytes[key])
            if scanner.peek() == UInt8(ascii: "{") {
                var nested = prefix
                nested += keyBytes
                nested.append(UInt8(ascii: "."))
                guard paths.contains(where: { $0.starts(with: nested) }) else {
                    throw scanner.failure("member '\(String(decoding: nested.dropLast(), as: UTF8.self))' has no CSV column")
                }
                try object(&scanner, prefix: nested, into: &cells)
                return
            }
            let start = scanner.position
            let isString = scanner.peek() == UInt8(ascii: "\"")
            var hasEscapes = false
            var range: Range<Int>
            if isString {
                (range, hasEscapes) = try scanner.string()
            } else {
                try scanner.skipValue()
                range = start..<scanner.position
            }
            guard let column = column(prefix, keyBytes) else {
                throw scanner.failure("member '\(String(decoding: prefix + keyBytes, as: UTF8.self))' has no CSV column")
            }
            if scanner.bytes[start] != UInt8(ascii: "n") {  // null is an empty cell
                cells[column] = Cell(range: range, isString: isString, hasEscapes: hasEscapes)
            }
        }
    }

    private static func column(_ prefix: [UInt8], _ key: UnsafeRawBufferPointer) -> Int? {
        paths.firstIndex { path in
            path.count == prefix.count + key.count && path.starts(with: prefix) && path[prefix.count...].elementsEqual(key)
        }
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

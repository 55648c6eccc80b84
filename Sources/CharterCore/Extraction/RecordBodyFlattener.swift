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

    /// One JSON object of the body: its members that are columns and those that are nested objects.
    /// Resolving a member is a short scan of its own object's names, with no path built per record.
    struct ObjectLayout {
        /// The object's dotted path ("" for the body), for error messages.
        var path: String
        var columns: [(name: [UInt8], column: Int)] = []
        var objects: [(name: [UInt8], layout: Int)] = []
    }

    /// Every object of the body, the body itself first, from `ExtractionEncoder.Column`'s dotted names.
    static let layouts: [ObjectLayout] = {
        var layouts = [ObjectLayout(path: "")]
        for (column, name) in ExtractionEncoder.Column.allCases.map(\.rawValue).enumerated() {
            let components = name.split(separator: ".").map { Array($0.utf8) }
            var layout = 0
            for component in components.dropLast() {
                if let nested = layouts[layout].objects.first(where: { $0.name == component })?.layout {
                    layout = nested
                } else {
                    let path = layouts[layout].path.isEmpty ? "" : layouts[layout].path + "."
                    layouts.append(ObjectLayout(path: path + String(decoding: component, as: UTF8.self)))
                    layouts[layout].objects.append((component, layouts.count - 1))
                    layout = layouts.count - 1
                }
            }
            layouts[layout].columns.append((components.last ?? [], column))
        }
        return layouts
    }()

    /// Fills `cells` (one slot per column, nil when absent) from `body`.
    static func flatten(_ body: UnsafeRawBufferPointer, into cells: UnsafeMutableBufferPointer<Cell?>) throws(CharterError) {
        var scanner = JSONScanner(body, task: "a stored record body cannot be written as CSV")
        // Read once per body and passed down: a global read in the member loop costs a `swift_once` each time.
        let layouts = self.layouts
        try object(&scanner, layout: layouts[0], layouts: layouts, into: cells)
        try scanner.requireEnd()
    }

    private static func object(
        _ scanner: inout JSONScanner, layout: ObjectLayout, layouts: [ObjectLayout], into cells: UnsafeMutableBufferPointer<Cell?>
    ) throws(CharterError) {
        try scanner.forEachMember { scanner, key throws(CharterError) in
            let name = UnsafeRawBufferPointer(rebasing: scanner.bytes[key])
            if scanner.peek() == UInt8(ascii: "{") {
                guard let nested = layout.objects.first(where: { JSONScanner.same(name, $0.name) }) else {
                    throw scanner.failure("member '\(memberPath(layout, name))' has no CSV column")
                }
                try object(&scanner, layout: layouts[nested.layout], layouts: layouts, into: cells)
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
            guard let column = layout.columns.first(where: { JSONScanner.same(name, $0.name) })?.column else {
                throw scanner.failure("member '\(memberPath(layout, name))' has no CSV column")
            }
            if scanner.bytes[start] != UInt8(ascii: "n") {  // null is an empty cell
                cells[column] = Cell(range: range, isString: isString, hasEscapes: hasEscapes)
            }
        }
    }

    private static func memberPath(_ layout: ObjectLayout, _ name: UnsafeRawBufferPointer) -> String {
        (layout.path.isEmpty ? "" : layout.path + ".") + String(decoding: name, as: UTF8.self)
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

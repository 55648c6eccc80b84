/// A cursor over the JSON of a stored record body, shared by the hub's hand-written readers (the CSV
/// flattener and `RecordDocument`). It finds where members and values lie without building them, so a
/// reader pays only for the bytes it uses. Bodies are the hub's own canonical JSON; the scanner checks
/// structure, not every rule of RFC 8259.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    /// What the reader does, opening every error message ("a stored record body cannot be written as CSV").
    let task: String

    init(_ bytes: UnsafeRawBufferPointer, task: String) {
        self.bytes = bytes
        self.task = task
    }

    /// Calls `visit` for each member of the object at `position`, with the range of its key's contents
    /// and the scanner at the member's value, which `visit` must consume.
    mutating func forEachMember(_ visit: (inout JSONScanner, Range<Int>) throws(CharterError) -> Void) throws(CharterError) {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            let key = try string().range
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try visit(&self, key)
            skipWhitespace()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    /// Whether the bytes in `range` are `text`.
    func bytes(in range: Range<Int>, equal text: [UInt8]) -> Bool {
        UnsafeRawBufferPointer(rebasing: bytes[range]).elementsEqual(text)
    }

    /// Refuses anything after the top-level value but whitespace.
    mutating func requireEnd() throws(CharterError) {
        skipWhitespace()
        guard position == bytes.count else { throw failure("trailing bytes after the record") }
    }

    /// A string at `position`: the range of its contents (without quotes), and whether it holds escapes.
    mutating func string() throws(CharterError) -> (range: Range<Int>, hasEscapes: Bool) {
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

    /// Skips a string, number, literal, array or object, minding strings inside.
    mutating func skipValue() throws(CharterError) {
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                _ = try string()
                if depth == 0 { return }
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

    /// The literal `true` or `false` at `position`.
    mutating func bool() throws(CharterError) -> Bool {
        for (literal, value) in [(Self.trueLiteral, true), (Self.falseLiteral, false)] where position + literal.count <= bytes.count {
            if bytes(in: position..<(position + literal.count), equal: literal) {
                position += literal.count
                return value
            }
        }
        throw failure("expected true or false")
    }

    private static let trueLiteral = Array("true".utf8)
    private static let falseLiteral = Array("false".utf8)

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func next() -> UInt8? {
        defer { position += 1 }
        return peek()
    }

    mutating func expect(_ byte: UInt8) throws(CharterError) {
        guard next() == byte else { throw failure("expected '\(Character(UnicodeScalar(byte)))'") }
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    func failure(_ reason: String) -> CharterError {
        CharterError(.invalidRecord, "\(task) at byte \(position): \(reason)")
    }
}

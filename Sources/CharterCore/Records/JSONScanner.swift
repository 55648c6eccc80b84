/// A cursor over JSON, shared by the hub's hand-written readers (the CSV flattener, `RecordDocument`,
/// `RecordReader`, access-log entries). It finds where members and values lie without building them, so a
/// reader pays only for the bytes it uses. The skimming methods (`forEachMember`, `forEachElement`,
/// `skipValue`, `string`) trust the hub's own canonical bodies and check structure only; the strict ones
/// (`validateValue`, `value`, `text`, `number`) hold a DMS's input to RFC 8259.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    /// What the reader does, opening every error message ("a stored record body cannot be written as CSV").
    let task: String
    /// The code of every error the scanner raises.
    let code: CharterError.Code

    /// Deeper input is refused: no record nests this far, and recursion must stay bounded.
    static let depthLimit = 64

    init(_ bytes: UnsafeRawBufferPointer, task: String, code: CharterError.Code = .invalidRecord) {
        self.bytes = bytes
        self.task = task
        self.code = code
    }

    /// Calls `visit` for each member of the object at `position`, with the range of its key's contents
    /// and the scanner at the member's value, which `visit` must consume.
    mutating func forEachMember(_ visit: (inout JSONScanner, Range<Int>) throws(CharterError) -> Void) throws(CharterError) {
        try forEachItem(opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}")) { scanner throws(CharterError) in
            let key = try scanner.string().range
            scanner.skipWhitespace()
            try scanner.expect(UInt8(ascii: ":"))
            scanner.skipWhitespace()
            try visit(&scanner, key)
        }
    }

    /// Calls `visit` for each element of the array at `position`, with the scanner at the element, which
    /// `visit` must consume.
    mutating func forEachElement(_ visit: (inout JSONScanner) throws(CharterError) -> Void) throws(CharterError) {
        try forEachItem(opening: UInt8(ascii: "["), closing: UInt8(ascii: "]"), visit)
    }

    /// The walk of `forEachMember` and `forEachElement`: `item` consumes one member or element at a time,
    /// between the brackets and the commas.
    private mutating func forEachItem(opening: UInt8, closing: UInt8, _ item: (inout JSONScanner) throws(CharterError) -> Void) throws(CharterError) {
        try expect(opening)
        skipWhitespace()
        if peek() == closing { position += 1; return }
        while true {
            skipWhitespace()
            try item(&self)
            skipWhitespace()
            switch next() {
            case UInt8(ascii: ","): continue
            case closing: return
            default: throw failure("expected ',' or '\(Character(UnicodeScalar(closing)))'")
            }
        }
    }

    /// Whether the bytes in `range` are `text`.
    func bytes(in range: Range<Int>, equal text: [UInt8]) -> Bool {
        Self.same(UnsafeRawBufferPointer(rebasing: bytes[range]), text)
    }

    /// Whether `bytes` are `text`, lengths first: readers try a key against a list of names, most of
    /// another length. Byte by byte over both buffers, which measured faster than `elementsEqual`.
    static func same(_ bytes: UnsafeRawBufferPointer, _ text: [UInt8]) -> Bool {
        bytes.count == text.count && text.withUnsafeBytes { text in text.indices.allSatisfy { text[$0] == bytes[$0] } }
    }

    /// Refuses anything after the top-level value but whitespace.
    mutating func requireEnd() throws(CharterError) {
        skipWhitespace()
        guard position == bytes.count else { throw failure("trailing bytes after the JSON value") }
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
        if skip(Self.trueLiteral) { return true }
        if skip(Self.falseLiteral) { return false }
        throw failure("expected true or false")
    }

    /// Passes `literal` when it is at `position`; the one test behind `bool`, `null` and the strict walk.
    private mutating func skip(_ literal: [UInt8]) -> Bool {
        guard position + literal.count <= bytes.count, bytes(in: position..<(position + literal.count), equal: literal) else { return false }
        position += literal.count
        return true
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
        CharterError(code, "\(task) at byte \(position): \(reason)")
    }

    // MARK: Strict reading of input

    /// Checks the value at `position` against RFC 8259 and moves past it, building nothing.
    mutating func validateValue() throws(CharterError) {
        _ = try parse(depth: 0, building: false)
    }

    /// Any value at `position`, built, for a reader that must look inside what it does not know.
    mutating func value() throws(CharterError) -> JSONValue {
        try parse(depth: 0, building: true)
    }

    /// The one RFC 8259 walk behind `validateValue` and `value`. When not `building`, containers come
    /// back empty and everything else as `.null`.
    private mutating func parse(depth: Int, building: Bool) throws(CharterError) -> JSONValue {
        guard depth < Self.depthLimit else { throw failure("nested more than \(Self.depthLimit) levels deep") }
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            repeat {
                skipWhitespace()
                let key = try readText(building: building)
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                let value = try parse(depth: depth + 1, building: building)
                if building, let key { members[key] = value }
                skipWhitespace()
            } while try separator(closing: UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; return .array(elements) }
            repeat {
                let element = try parse(depth: depth + 1, building: building)
                if building { elements.append(element) }
                skipWhitespace()
            } while try separator(closing: UInt8(ascii: "]"))
            return .array(elements)
        case UInt8(ascii: "\""):
            let text = try readText(building: building)
            return building ? .string(text ?? "") : .null
        case UInt8(ascii: "t"):
            try literal(Self.trueLiteral)
            return building ? .bool(true) : .null
        case UInt8(ascii: "f"):
            try literal(Self.falseLiteral)
            return building ? .bool(false) : .null
        case UInt8(ascii: "n"):
            try literal(Self.nullLiteral)
            return .null
        default:
            let range = try number()
            return building ? .number(Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)) ?? .infinity) : .null
        }
    }

    /// After a member or element: true at `,`, false at the closing bracket.
    private mutating func separator(closing: UInt8) throws(CharterError) -> Bool {
        switch next() {
        case UInt8(ascii: ","): return true
        case closing: return false
        default:
            position -= 1
            throw failure("expected ',' or '\(Character(UnicodeScalar(closing)))'")
        }
    }

    private mutating func literal(_ text: [UInt8]) throws(CharterError) {
        guard skip(text) else { throw failure("expected a value") }
    }

    /// Whether `null` is at `position` (which it passes).
    mutating func null() -> Bool {
        skip(Self.nullLiteral)
    }

    private static let nullLiteral = Array("null".utf8)

    /// The string at `position`, escapes decoded; raw control characters and invalid UTF-8 are refused.
    mutating func text() throws(CharterError) -> String {
        // `building: true` always yields a string.
        try readText(building: true) ?? ""
    }

    /// The contents of the string whose contents `string()` found at `range`, decoded and checked as `text()`
    /// decodes and checks them: the skimming walk finds a key, a strict reader still needs its text.
    func text(of range: Range<Int>) throws(CharterError) -> String {
        var reader = self
        reader.position = range.lowerBound - 1
        return try reader.text()
    }

    private mutating func readText(building: Bool) throws(CharterError) -> String? {
        try expect(UInt8(ascii: "\""))
        // Plain bytes are taken in runs; only escapes copy into `decoded`.
        var runStart = position
        var decoded: [UInt8]?
        var ascii = true
        while position < bytes.count {
            // The run's scan keeps its index in a local: through `self` it would be stored back at every byte.
            var index = position
            while index < bytes.count, bytes[index] >= 0x20, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                if bytes[index] >= 0x80 { ascii = false }
                index += 1
            }
            position = index
            guard position < bytes.count else { break }
            let byte = bytes[position]
            let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<position])
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard var out = decoded else {
                    // ASCII needs no validation, and `String(decoding:)` is much cheaper than `String(validating:)`.
                    if ascii { return building ? String(decoding: run, as: UTF8.self) : nil }
                    guard let text = String(validating: run, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                    return text
                }
                out.append(contentsOf: run)
                guard let text = String(validating: out, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                var out = decoded ?? []
                out.append(contentsOf: run)
                do {
                    position = try JSONEscape.decode(bytes, letterAt: position + 1, into: &out)
                } catch {
                    throw failure("invalid escape in a string")
                }
                decoded = out
                runStart = position
            default:
                throw failure("a control character must be escaped in a string")
            }
        }
        throw failure("unterminated string")
    }

    /// The number at `position` (RFC 8259 grammar), as the range of its text.
    mutating func number() throws(CharterError) -> Range<Int> {
        let start = position
        func digits() -> Int {
            let first = position
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
            return position - first
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        let leadingZero = peek() == UInt8(ascii: "0")
        let integerDigits = digits()
        guard integerDigits > 0, !(leadingZero && integerDigits > 1) else {
            position = start
            throw failure("expected a value")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw failure("expected digits after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw failure("expected digits in an exponent") }
        }
        return start..<position
    }
}

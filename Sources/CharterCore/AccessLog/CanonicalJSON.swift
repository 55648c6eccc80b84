/// The canonical JSON of access-log entries: object keys sorted by their UTF-8 bytes, no whitespace,
/// strings escaped minimally (`"`, `\`, and control characters; `/` and non-ASCII left as they are),
/// integers only. One hand-written parser and serialiser, so that producing a leaf and checking one
/// are the same code, and fast enough to verify a million entries in seconds.
public enum CanonicalJSON {
    /// A parsed JSON value. Objects keep their members in document order, so non-canonical order is visible.
    public indirect enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case integer(Int)
        case string(String)
        case array([Value])
        case object([(key: String, value: Value)])

        public static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.integer(let a), .integer(let b)): return a == b
            case (.string(let a), .string(let b)): return a == b
            case (.array(let a), .array(let b)): return a == b
            case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: return false
            }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(String(describing: self))
        }

        /// The member `key` of an object.
        public subscript(key: String) -> Value? {
            guard case .object(let members) = self else { return nil }
            return members.first { $0.key == key }?.value
        }
    }

    /// Why bytes are not JSON this parser accepts.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "byte \(offset): \(reason)" }
    }

    /// Canonical bytes of `value`.
    public static func serialize(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Value, into out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .integer(let number): out += Array(String(number).utf8)
        case .string(let text): write(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (offset, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string, escaped as above: the same bytes as `JSONEncoder` with
    /// `.withoutEscapingSlashes`, for the hub's hand-written bodies.
    public static func write(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs that need no escape, nearly all text, are copied whole.
            var unwritten = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[unwritten..<index]))
                escape(byte, into: &out)
                unwritten = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[unwritten...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escape(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        case 0x00..<0x20: out += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
        default: out.append(byte)
        }
    }

    /// Parses one JSON value that fills `bytes` entirely.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> Value {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        guard parser.position == parser.bytes.count else { throw parser.error("trailing bytes") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        func error(_ reason: String) -> ParseError { ParseError(offset: position, reason: reason) }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func expect(_ literal: String) throws(ParseError) {
            for byte in literal.utf8 {
                guard position < bytes.count, bytes[position] == byte else { throw error("expected \(literal)") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws(ParseError) -> Value {
            guard depth < 32 else { throw error("nested too deeply") }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end") }
            let value: Value
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [(key: String, value: Value)] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                } else {
                    while true {
                        skipWhitespace()
                        let key = try string()
                        skipWhitespace()
                        try expect(":")
                        members.append((key, try self.value(depth: depth + 1)))
                        skipWhitespace()
                        guard position < bytes.count else { throw error("unterminated object") }
                        position += 1
                        if bytes[position - 1] == UInt8(ascii: "}") { break }
                        guard bytes[position - 1] == UInt8(ascii: ",") else { throw error("expected , or }") }
                    }
                }
                value = .object(members)
            case UInt8(ascii: "["):
                position += 1
                var elements: [Value] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                } else {
                    while true {
                        elements.append(try self.value(depth: depth + 1))
                        skipWhitespace()
                        guard position < bytes.count else { throw error("unterminated array") }
                        position += 1
                        if bytes[position - 1] == UInt8(ascii: "]") { break }
                        guard bytes[position - 1] == UInt8(ascii: ",") else { throw error("expected , or ]") }
                    }
                }
                value = .array(elements)
            case UInt8(ascii: "\""):
                value = .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                value = .null
            default:
                value = .integer(try integer())
            }
            skipWhitespace()
            return value
        }

        mutating func integer() throws(ParseError) -> Int {
            let start = position
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") { position += 1 }
            guard let number = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else { throw error("expected a value (only integers are numbers here)") }
            return number
        }

        mutating func string() throws(ParseError) -> String {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
            position += 1
            var out: [UInt8] = []
            while true {
                guard position < bytes.count else { throw error("unterminated string") }
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8") }
                    return text
                case UInt8(ascii: "\\"):
                    do {
                        position = try JSONEscape.decode(bytes, letterAt: position, into: &out)
                    } catch {
                        throw self.error("invalid escape")
                    }
                case 0x00..<0x20:
                    throw error("control character in a string")
                default:
                    out.append(byte)
                }
            }
        }
    }
}

/// The canonical JSON of access-log entries and extraction manifests: object keys sorted by their UTF-8
/// bytes, no whitespace, strings escaped minimally (`"`, `\`, and control characters; `/` and non-ASCII
/// left as they are), integers only. `serialize` writes any value; hand-written writers on the hot paths
/// (`AccessLogEntry.canonicalBytes`) use the same string escaping and `ObjectWriter`, and tests hold
/// their bytes to `serialize`.
public enum CanonicalJSON {
    /// A JSON value to write canonically; `serialize` sorts an object's members, whatever their order here.
    public indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case integer(Int)
        case string(String)
        case array([Value])
        case object([(key: String, value: Value)])
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
        var text = text
        text.withUTF8 { write(utf8: UnsafeRawBufferPointer($0), into: &out) }
    }

    /// Appends UTF-8 text as a JSON string, escaped as above.
    public static func write(utf8 bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Runs that need no escape, nearly all text, are copied whole.
        var unwritten = 0
        for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[unwritten..<index]))
            escape(byte, into: &out)
            unwritten = index + 1
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[unwritten...]))
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

    /// Appends an array of strings.
    static func write(_ texts: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (offset, text) in texts.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            write(text, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Writes one object member by member, for hand-written writers. The caller names the members in
    /// canonical order (keys' UTF-8 bytes ascending); absent members (nil) are skipped, never `null`.
    struct ObjectWriter {
        private var opened = false

        /// Writes `name` and its colon, opening the object or separating it from the previous member.
        mutating func key(_ name: String, into out: inout [UInt8]) {
            out.append(opened ? UInt8(ascii: ",") : UInt8(ascii: "{"))
            opened = true
            CanonicalJSON.write(name, into: &out)
            out.append(UInt8(ascii: ":"))
        }

        /// A string member, left out when nil.
        mutating func member(_ name: String, _ value: String?, into out: inout [UInt8]) {
            guard let value else { return }
            key(name, into: &out)
            CanonicalJSON.write(value, into: &out)
        }

        /// An array-of-strings member, left out when nil.
        mutating func member(_ name: String, _ value: [String]?, into out: inout [UInt8]) {
            guard let value else { return }
            key(name, into: &out)
            CanonicalJSON.write(value, into: &out)
        }

        /// Closes the object: `{}` when no member was written.
        func close(into out: inout [UInt8]) {
            if !opened { out.append(UInt8(ascii: "{")) }
            out.append(UInt8(ascii: "}"))
        }
    }
}

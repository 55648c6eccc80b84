/// JSON string escapes (RFC 8259 §7), decoded by the one routine every hand-written JSON reader of
/// the hub shares: `JSONScanner` (records and access-log entries) and the CSV flattener of records.
enum JSONEscape {
    /// An escape that RFC 8259 does not allow, or a `\u` without four hex digits.
    struct Invalid: Error {}

    /// Decodes the escape whose letter sits at `index` (just after the backslash), appending its UTF-8 to
    /// `out`; returns the index after the escape. A `\u` high surrogate followed by a `\u` low surrogate
    /// makes one scalar.
    static func decode<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, letterAt index: Int, into out: inout [UInt8]) throws(Invalid) -> Int
    where Bytes.Index == Int {
        guard index < bytes.endIndex else { throw Invalid() }
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[index])
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
            var code = try hex(bytes, at: index + 1)
            var next = index + 5
            if (0xD800..<0xDC00).contains(code), next + 6 <= bytes.endIndex, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                let low = try? hex(bytes, at: next + 2), (0xDC00..<0xE000).contains(low)
            {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                next += 6
            }
            guard let scalar = Unicode.Scalar(code) else { throw Invalid() }
            out += String(Character(scalar)).utf8
            return next
        default: throw Invalid()
        }
        return index + 1
    }

    private static func hex<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: Int) throws(Invalid) -> UInt32 where Bytes.Index == Int {
        guard index + 4 <= bytes.endIndex else { throw Invalid() }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Invalid()
            }
        }
        return value
    }
}

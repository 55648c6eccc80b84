/// Lowercase hex, the one way the hub writes digests, fingerprints and key ids.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, two digits a byte.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// 128 fresh random bits as 32 hex digits: the hub's identifiers, which must reveal nothing and never
    /// collide. Cheaper than formatting a `UUID` and stripping its dashes, which ingest pays per record.
    public static func randomIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return string((0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (8 * (7 - $0 % 8))) })
    }
}

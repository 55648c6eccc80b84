import Crypto

/// Lowercase hex, the one way the hub writes digests, fingerprints and key ids.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, two digits a byte.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2 * bytes.underestimatedCount)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// 128 fresh random bits as 32 hex digits: the hub's identifiers, which must reveal nothing and never
    /// collide. The bytes come from the system's generator; on Linux swift-crypto draws them through the
    /// standard library, one `getrandom` system call per 8 bytes (about 1.3 µs a record at ingest).
    public static func randomIdentifier() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { string($0) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// collide.
    public static func randomIdentifier() -> String {
        randomIdentifiers(count: 1)[0]
    }

    /// `count` identifiers as `randomIdentifier()` makes them, from the system's generator 256 bytes a call
    /// (`getentropy`): a batch of 10,000 records costs 625 system calls. swift-crypto's `SymmetricKey` and
    /// the standard library draw 8 bytes a call, two calls an identifier (measured: 5% of the ingest
    /// handlers' time).
    public static func randomIdentifiers(count: Int) -> [String] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: 16 * count)
        bytes.withUnsafeMutableBytes { buffer in
            var generator = SystemRandomNumberGenerator()
            for start in stride(from: 0, to: buffer.count, by: 256) {
                let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[start..<min(buffer.count, start + 256)])
                if getentropy(chunk.baseAddress, chunk.count) != 0 {
                    // The system refused (it should not): the standard library's generator fills the chunk instead.
                    for index in chunk.indices { chunk[index] = UInt8.random(in: .min ... .max, using: &generator) }
                }
            }
        }
        return (0..<count).map { string(bytes[(16 * $0)..<(16 * $0 + 16)]) }
    }
}

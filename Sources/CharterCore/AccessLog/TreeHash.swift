import Crypto
import Foundation

/// A SHA-256 node or leaf hash of the access log's Merkle tree (RFC 9162 §2.1).
public struct TreeHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes in order, held inline rather than in an array: proofs, the store's node cache and
    /// offline verification copy and compare hashes by the million, and an array costs a heap buffer
    /// and reference counting on every copy.
    private var storage: SIMD4<UInt64>

    /// The 32 bytes.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Reads the 32 bytes in place.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Wraps 32 bytes; nil for any other length.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var storage = SIMD4<UInt64>()
        Swift.withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
        self.storage = storage
    }

    private init(digest: SHA256.Digest) {
        var storage = SIMD4<UInt64>()
        Swift.withUnsafeMutableBytes(of: &storage) { target in digest.withUnsafeBytes { target.copyMemory(from: $0) } }
        self.storage = storage
    }

    /// SHA-256 of the empty string: the root of the empty tree.
    public static let empty = TreeHash(digest: SHA256.hash(data: Data()))

    /// Leaf hash: SHA-256(0x00 ‖ leaf). The bytes are hashed in place: hashing through `DataProtocol`'s
    /// regions cost more allocations than the hash itself, once per appended and per verified entry.
    public static func leaf(_ data: some ContiguousBytes) -> TreeHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        data.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return TreeHash(digest: hasher.finalize())
    }

    /// Interior node hash: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x01)) { hasher.update(bufferPointer: $0) }
        left.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return TreeHash(digest: hasher.finalize())
    }

    /// Standard base64, as proofs and checkpoints carry hashes.
    public var base64: String { Data(bytes).base64EncodedString() }

    /// Parses standard base64 of 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64) else { return nil }
        self.init(data)
    }

    /// Lower-case hex.
    public var description: String { Hex.string(bytes) }

    /// Parses lower- or upper-case hex of 32 bytes.
    public init?(hex: String) {
        var bytes: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let value = UInt8(String([high, low]), radix: 16) else { return nil }
            bytes.append(value)
        }
        self.init(bytes)
    }
}

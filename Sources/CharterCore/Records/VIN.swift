/// A vehicle identification number: 17 characters of the ISO 3779 alphabet (digits and capital
/// letters except I, O and Q, which are banned because they read as 1 and 0).
public struct VIN: Sendable, Hashable, Encodable, CustomStringConvertible {
    public let value: String

    /// Validates `text` as given; the hub does not upper-case or trim, so what a DMS sends is what it stored.
    public init(validating text: String) throws(CharterError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 17 else {
            throw CharterError(.invalidVIN, "vin must be exactly 17 characters (ISO 3779), got \(text.count)", field: "vin")
        }
        for byte in bytes where !VIN.isAllowed(byte) {
            throw CharterError(
                .invalidVIN,
                "vin may hold only digits and capital letters other than I, O and Q (ISO 3779)",
                field: "vin"
            )
        }
        self.value = text
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "I"), UInt8(ascii: "O"), UInt8(ascii: "Q"): return false
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
        default: return false
        }
    }

    public var description: String { value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

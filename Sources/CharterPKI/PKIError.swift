/// Why a certificate operation failed, with a stable code and a message that names the file or the rule.
public struct PKIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable machine codes of the PKI layer.
    public enum Code: String, Sendable, Hashable {
        case unreadable = "pki_unreadable"
        case invalidCertificate = "invalid_certificate"
        case noIssuingKey = "no_issuing_key"
        case writeFailed = "pki_write_failed"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: PKIError, rhs: PKIError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

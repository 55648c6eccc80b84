/// Why the core refused an input: a stable machine `code`, a human `message`, and where it applies,
/// the charter `clause` and the offending `field` path.
///
/// Equality compares the code and the field only, so tests do not depend on the wording of messages.
public struct CharterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable machine codes the core produces. The server maps each to an HTTP status.
    public enum Code: String, Sendable, Hashable {
        case invalidJSON = "invalid_json"
        case invalidRecord = "invalid_record"
        case invalidVIN = "invalid_vin"
        case unknownField = "unknown_field"
        case forbiddenData = "forbidden_data"
        case duplicateConflict = "duplicate_conflict"
        case payloadTooLarge = "payload_too_large"
        case unknownPurpose = "unknown_purpose"
        case invalidHeader = "invalid_header"
    }

    public let code: Code
    public let message: String
    public let field: String?
    public let clause: String?

    public init(_ code: Code, _ message: String, field: String? = nil, clause: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.clause = clause
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let field { text += " [field \(field)]" }
        if let clause { text += " [clause \(clause)]" }
        return text
    }

    public static func == (lhs: CharterError, rhs: CharterError) -> Bool {
        lhs.code == rhs.code && lhs.field == rhs.field
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(field)
    }

    /// A field that failed validation, named by its path (`customer.email`, `lines[2].label`).
    public static func invalid(_ field: String, _ message: String) -> CharterError {
        CharterError(.invalidRecord, message, field: field)
    }
}

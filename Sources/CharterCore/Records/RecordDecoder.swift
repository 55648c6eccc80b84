import Foundation

/// Turns a DMS's JSON into a valid `RecordInput`, or into the one `CharterError` that says what to fix.
///
/// Structure (closed format, types, ranges) is checked while reading (`RecordReader`); the charter's own
/// rules (operation vocabulary, special-category data, dates) come from the compiled policy. The API's
/// other bodies go through `Codable` with the same error vocabulary.
public struct RecordDecoder: Sendable {
    public let policy: CharterPolicy

    public init(policy: CharterPolicy) {
        self.policy = policy
    }

    /// Decodes and validates one record. `today` is the latest civil date a record may carry.
    public func decode(_ data: some DataProtocol, today: CalendarDate = .latestToday()) throws(CharterError) -> RecordInput {
        let record = try RecordReader.read(data, screen: policy.forbiddenData)
        try policy.validate(record, today: today)
        return record
    }

    /// A body the hub stored: the same closed format, without the policy's checks (it passed them when entered).
    public static func readStored(_ body: [UInt8]) throws(CharterError) -> RecordInput {
        try RecordReader.read(body, screen: nil)
    }

    /// Decodes any of the API's closed JSON bodies, naming the field and the problem on failure.
    public static func decode<Body: Decodable>(_ type: Body.Type, from data: some DataProtocol) throws(CharterError) -> Body {
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(Body.self, from: Data(data))
        } catch let error as CharterError {
            throw error
        } catch let error as DecodingError {
            throw translate(error)
        } catch {
            throw CharterError(.invalidJSON, "the body is not valid JSON")
        }
    }

    /// Names the field and the problem of a Foundation decoding error in the hub's vocabulary.
    static func translate(_ error: DecodingError) -> CharterError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = FieldPath.render(context.codingPath, key.stringValue)
            return .invalid(path, "\(path) is required")
        case .valueNotFound(_, let context):
            let path = FieldPath.render(context.codingPath)
            return .invalid(path, "\(path) must not be null")
        case .typeMismatch(let type, let context):
            let path = FieldPath.render(context.codingPath)
            if context.codingPath.isEmpty {
                return CharterError(.invalidJSON, "the body must be a JSON object")
            }
            return .invalid(path, "\(path) must be \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return CharterError(.invalidJSON, "the body is not valid JSON")
            }
            let path = FieldPath.render(context.codingPath)
            return .invalid(path, "\(path): \(context.debugDescription)")
        @unknown default:
            return CharterError(.invalidJSON, "the body could not be read as a record")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

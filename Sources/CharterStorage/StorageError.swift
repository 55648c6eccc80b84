/// Why the store refused or failed an operation, with a stable code and a message for a human.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable machine codes of the storage layer.
    public enum Code: String, Sendable, Hashable {
        case alreadyExists = "already_exists"
        case notFound = "not_found"
        /// A tree size (or index) beyond what the access log holds.
        case outOfRange = "out_of_range"
        case invalidReference = "invalid_reference"
        case corrupt = "corrupt_data"
        case unavailable = "storage_unavailable"
        /// The access log could not take an entry; the transaction that needed it was rolled back.
        case logUnavailable = "log_unavailable"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: StorageError, rhs: StorageError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

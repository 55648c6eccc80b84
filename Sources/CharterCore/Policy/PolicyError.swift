/// Why a policy file cannot be used: the file, the line (1-based, when known) and the problem.
/// The hub refuses to start on one, so that it never enforces a charter nobody wrote.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

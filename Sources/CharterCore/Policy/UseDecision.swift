/// Whether a caller may make a use of dealer data under its purpose. A refusal is a value that carries
/// its clause, like `AccessDecision`, so callers log it and answer it the same way.
public enum UseDecision: Sendable, Hashable {
    case allow
    case deny(clause: String, reason: String)
}

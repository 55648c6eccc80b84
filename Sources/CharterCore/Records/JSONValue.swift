/// Any JSON value. The record reader reads an unknown member into one so that it can still look inside it
/// for special-category keys (D2) before refusing it as unknown.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

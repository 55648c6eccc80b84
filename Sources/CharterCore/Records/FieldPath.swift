/// Renders a coding path the way error bodies name fields: `customer.email`, `lines[2].label`.
public enum FieldPath {
    /// The dotted/indexed form of `path`; the empty path renders as `""` (the whole document).
    public static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    /// The rendered path of `key` below `path`.
    public static func render(_ path: [any CodingKey], _ key: String) -> String {
        render(path + [AnyCodingKey(key)])
    }
}

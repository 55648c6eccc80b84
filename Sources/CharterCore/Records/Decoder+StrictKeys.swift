extension Decoder {
    /// Refuses every member of the current JSON object that `keys` does not name, naming the first.
    func checkKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, of body: String) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        // `Keys(stringValue:)` is a synthesized switch; scanning `allCases` per key was a large share of reading a stored record.
        let unknown = container.allKeys.filter { Keys(stringValue: $0.stringValue) == nil }
        guard !unknown.isEmpty else { return }
        let first = unknown.map(\.stringValue).sorted()[0]
        throw CharterError(
            .unknownField,
            "'\(first)' is not a field of \(body); the format is closed",
            field: FieldPath.render(codingPath, first)
        )
    }

    /// The rendered path of a member of the current object, for error messages.
    func path(_ key: some CodingKey) -> String {
        FieldPath.render(codingPath, key.stringValue)
    }
}

extension KeyedDecodingContainer {
    /// A string member that must name one of `Choice`'s cases; the refusal names the field and lists them.
    func decodeChoice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type, forKey key: Key) throws -> Choice
    where Choice.RawValue == String {
        let text = try decode(String.self, forKey: key)
        guard let choice = Choice(rawValue: text) else {
            let path = FieldPath.render(codingPath, key.stringValue)
            throw CharterError.invalid(path, "\(path) must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }
}

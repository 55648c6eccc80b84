/// The special-category screen of D2: field names and free-text terms that a record may never carry
/// (religion, politics, sexuality, skin colour, physical description, health, personal judgement).
public struct ForbiddenDataScreen: Sendable, Hashable {
    /// The clause every refusal cites.
    public let clause: String
    /// Normalised field names (see `TextNormalizer.name`).
    public let fieldNames: Set<String>
    /// The terms as written in the policy, with their normalised form for matching.
    public let terms: [Term]

    /// A forbidden term: `folded` (see `TextNormalizer.words`) is matched, `text` is quoted back.
    public struct Term: Sendable, Hashable {
        public let text: String
        public let folded: String
        /// The words of `folded`.
        let words: [Substring]
        /// `folded` as UTF-8, matched against a text's folded bytes.
        let foldedBytes: [UInt8]

        init(text: String) {
            self.text = text
            self.folded = TextNormalizer.words(text)
            self.words = folded.split(separator: " ")
            self.foldedBytes = Array(folded.utf8)
        }
    }
    /// Term indexes by their first word: reading a text's words once finds every candidate with one
    /// lookup a word, instead of a substring search a term (that search was most of a record's validation).
    /// A one-word term is also indexed under its plural and feminine forms (see `inflections`).
    private let termsByFirstWord: [String: [Int]]

    /// Whether a word starting with two given bytes (`prefixSlot`) can be the first word of a term or of
    /// its forms: most words of a text (references, digits, e-mail parts) are ruled out by one table read,
    /// before a `String` is made of them and hashed. Screening every identifier of a record made that
    /// worth it.
    private let firstWordPrefixes: [Bool]

    /// The table slot of a word's first two bytes (the second is the space after a one-letter word).
    private static func prefixSlot(_ first: UInt8, _ second: UInt8) -> Int { Int(first & 0x7F) << 7 | Int(second & 0x7F) }

    /// The endings a one-word term also matches with: plural and feminine in French and English
    /// (`musulmanes`, `idiote`, `handicapées`, `Muslims`), so a list of base forms is enough.
    static let inflections = ["s", "e", "es"]
    /// The free-text members to search for terms.
    public let freeTextFields: Set<FreeTextField>

    /// Free-text members of a record that may be searched for forbidden terms.
    public enum FreeTextField: String, Sendable, Hashable, CaseIterable {
        case notes
        case customerName = "customer.name"
        case lineLabel = "lines[].label"
        /// The DMS's own reference: an identifier, but one a same-group dealer sees.
        case sourceRef
        case customerRef = "customer.ref"
        case customerEmail = "customer.email"
        case lineCode = "lines[].code"
    }

    public init(clause: String, fieldNames: some Sequence<String>, terms: some Sequence<String>, freeTextFields: Set<FreeTextField>) {
        self.clause = clause
        self.fieldNames = Set(fieldNames.map(TextNormalizer.name))
        self.terms = terms.map { Term(text: $0) }
        self.freeTextFields = freeTextFields
        var termsByFirstWord: [String: [Int]] = [:]
        for (index, term) in self.terms.enumerated() {
            guard let first = term.words.first else { continue }
            let forms = term.words.count == 1 ? [String(first)] + Self.inflections.map { String(first) + $0 } : [String(first)]
            for form in forms { termsByFirstWord[form, default: []].append(index) }
        }
        self.termsByFirstWord = termsByFirstWord
        var firstWordPrefixes = Array(repeating: false, count: 1 << 14)
        for form in termsByFirstWord.keys {
            let bytes = Array(form.utf8) + [UInt8(ascii: " ")]
            firstWordPrefixes[Self.prefixSlot(bytes[0], bytes[1])] = true
        }
        self.firstWordPrefixes = firstWordPrefixes
    }

    /// The refusal for a member called `name`, if the name is a special category.
    public func check(name: String, path: String) -> CharterError? {
        guard fieldNames.contains(TextNormalizer.name(name)) else { return nil }
        return CharterError(
            .forbiddenData,
            "'\(name)' is special-category data, which the charter forbids recording (D2)",
            field: path,
            clause: clause
        )
    }

    /// The first special-category member name at any depth inside `value`.
    public func check(value: JSONValue, path: String) -> CharterError? {
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                let child = path + "." + key
                if let error = check(name: key, path: child) ?? check(value: members[key]!, path: child) { return error }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let error = check(value: element, path: "\(path)[\(index)]") { return error }
            }
        case .null, .bool, .number, .string:
            break
        }
        return nil
    }

    /// The refusal for free text at `path` that holds a forbidden term, if `field` is screened.
    public func check(text: String, field: FreeTextField, path: String) -> CharterError? {
        guard freeTextFields.contains(field) else { return nil }
        // The first term in the policy's order that occurs, as whole words. `folded` is single-spaced and
        // padded, so its words lie between consecutive spaces.
        let found = TextNormalizer.withWordBytes(text) { folded -> Int? in
            var first: Int?
            var wordStart = 1
            for end in folded.indices.dropFirst() where folded[end] == UInt8(ascii: " ") {
                defer { wordStart = end + 1 }
                guard firstWordPrefixes[Self.prefixSlot(folded[wordStart], folded[wordStart + 1])] else { continue }
                let word = String(decoding: UnsafeBufferPointer(rebasing: folded[wordStart..<end]), as: UTF8.self)
                for index in termsByFirstWord[word] ?? [] where index < (first ?? .max) {
                    if terms[index].words.count == 1 || Self.occurs(terms[index].foldedBytes, in: folded) { first = index }
                }
            }
            return first
        }
        guard let first = found else { return nil }
        let term = terms[first]
        return CharterError(
            .forbiddenData,
            "\(path) contains '\(term.text)', special-category data or a personal judgement, which the charter forbids recording (D2)",
            field: path,
            clause: clause
        )
    }

    /// Whether `needle` occurs in `haystack`, byte for byte (both are folded and space-padded, so whole words).
    private static func occurs(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
    }
}

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
            for form in forms where termsByFirstWord[form]?.last != index { termsByFirstWord[form, default: []].append(index) }
        }
        self.termsByFirstWord = termsByFirstWord
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
        let folded = TextNormalizer.wordBytes(text)
        // The first term in the policy's order that occurs, as whole words. `folded` is single-spaced and
        // padded, so its words lie between consecutive spaces.
        var first: Int?
        var wordStart = 1
        for end in folded.indices.dropFirst() where folded[end] == UInt8(ascii: " ") {
            let word = String(decoding: folded[wordStart..<end], as: UTF8.self)
            wordStart = end + 1
            for index in termsByFirstWord[word] ?? [] where index < (first ?? .max) {
                if terms[index].words.count == 1 || Self.occurs(terms[index].foldedBytes, in: folded) { first = index }
            }
        }
        guard let first else { return nil }
        let term = terms[first]
        return CharterError(
            .forbiddenData,
            "\(path) contains '\(term.text)', special-category data or a personal judgement, which the charter forbids recording (D2)",
            field: path,
            clause: clause
        )
    }

    /// Whether `needle` occurs in `haystack`, byte for byte (both are folded and space-padded, so whole words).
    private static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
    }
}

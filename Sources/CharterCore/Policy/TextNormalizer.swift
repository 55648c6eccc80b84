import Foundation

/// Folds text for matching special-category names and terms: case- and accent-insensitive,
/// so `Religion`, `RELIGIÓN` and `religion` are one word and French and English lists stay short.
public enum TextNormalizer {
    /// Lower-cased, accents removed, every run of non-alphanumerics turned into one space, padded with a
    /// space on each side so that a term matches whole words only.
    public static func words(_ text: String) -> String {
        var out = " "
        var lastWasSpace = true
        for character in text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased() {
            if character.isLetter || character.isNumber {
                out.append(character)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        if !lastWasSpace { out.append(" ") }
        return out
    }

    /// A field name reduced to its letters and digits, so `political_opinion` and `politicalOpinion` match.
    public static func name(_ text: String) -> String {
        String(words(text).filter { $0 != " " })
    }
}

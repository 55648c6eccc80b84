import Foundation

/// Folds text for matching special-category names and terms: case- and accent-insensitive,
/// so `Religion`, `RELIGIÓN` and `religion` are one word and French and English lists stay short.
public enum TextNormalizer {
    /// Lower-cased, accents removed, every run of non-alphanumerics turned into one space, padded with a
    /// space on each side so that a term matches whole words only.
    public static func words(_ text: String) -> String {
        String(decoding: wordBytes(text), as: UTF8.self)
    }

    /// `words(_:)` as UTF-8, for matching byte by byte.
    static func wordBytes(_ text: String) -> [UInt8] {
        withWordBytes(text) { Array($0) }
    }

    /// Calls `body` with `words(_:)` as UTF-8. Most DMS text is ASCII: it is folded byte by byte into a
    /// buffer on the stack, without Foundation's Unicode folding (which costs tens of µs) or an allocation,
    /// since the screen folds several members of every record.
    static func withWordBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return Array(unicodeWords(text).utf8).withUnsafeBufferPointer(body) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.utf8.count + 2) { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[..<asciiWords(text.utf8, into: buffer)]))
        }
    }

    /// `words(_:)` for any text, through Foundation's case, diacritic and width folding.
    ///
    /// Invisible format characters (zero-width space and joiner, soft hyphen, bidirectional marks) are
    /// dropped rather than read as spaces, and compatibility forms (fullwidth letters, ligatures) are
    /// folded to their letters, so that neither hides a term: `id\u{200B}iot` and `ｉｄｉｏｔ` are `idiot`.
    static func unicodeWords(_ text: String) -> String {
        var visible = String.UnicodeScalarView()
        visible.append(contentsOf: text.unicodeScalars.lazy.filter { $0.properties.generalCategory != .format })
        let folded = String(visible).precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        var out = " "
        var lastWasSpace = true
        for character in folded {
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

    /// `words(_:)` for ASCII text, byte by byte, written into `out` (at least `bytes.count + 2` long); returns
    /// how many bytes it wrote.
    static func asciiWords(_ bytes: String.UTF8View, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        out[0] = 0x20
        var count = 1
        var lastWasSpace = true
        for byte in bytes {
            let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) {
                out[count] = lower
                count += 1
                lastWasSpace = false
            } else if !lastWasSpace {
                out[count] = 0x20
                count += 1
                lastWasSpace = true
            }
        }
        if !lastWasSpace {
            out[count] = 0x20
            count += 1
        }
        return count
    }

    /// A field name reduced to its letters and digits, so `political_opinion` and `politicalOpinion` match.
    public static func name(_ text: String) -> String {
        String(words(text).filter { $0 != " " })
    }
}

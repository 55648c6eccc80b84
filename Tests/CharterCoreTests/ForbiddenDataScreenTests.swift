import CharterCore
import Testing

/// The term search on its own, with terms the shipped policy does not hold: one letter, digits first,
/// a multi-word phrase, and a term whose folded form differs from how it is written.
struct ForbiddenDataScreenTests {
    let screen = ForbiddenDataScreen(clause: "D2", fieldNames: ["x"], terms: ["q", "2cv", "façade sale", "Été"], freeTextFields: [.notes])

    func found(_ text: String) -> String? {
        guard let error = screen.check(text: text, field: .notes, path: "notes") else { return nil }
        return screen.terms.first { error.message.contains("'\($0.text)'") }?.text
    }

    @Test func findsEveryKindOfTermAndItsForms() {
        #expect(found("a q b") == "q")
        #expect(found("Q") == "q")
        #expect(found("qs, qe") == "q")
        #expect(found("la 2CV") == "2cv")
        #expect(found("deux 2cvs") == "2cv")
        #expect(found("Façade,  SALE!") == "façade sale")
        #expect(found("un été") == "Été")
        #expect(found("ETES") == "Été")
    }

    @Test func leavesOtherWordsAlone() {
        #expect(found("qq 2cvx façades sale etait") == nil)
        #expect(found("") == nil)
        #expect(found(" , ") == nil)
        // The screen searches only the members the policy lists.
        #expect(screen.check(text: "q", field: .sourceRef, path: "sourceRef") == nil)
    }
}

import CharterCore
import CharterTestSupport
import Foundation
import Testing

@Suite struct RecordDecoderTests {
    let decoder: RecordDecoder
    let today = CalendarDate("2026-11-23")!

    init() throws {
        decoder = RecordDecoder(policy: try Fixtures.policy())
    }

    func decode(_ object: [String: Any]) throws(CharterError) -> RecordInput {
        try decoder.decode(Fixtures.data(object), today: today)
    }

    func refusal(_ object: [String: Any]) -> CharterError? {
        thrownError { () throws(CharterError) in try decode(object) }
    }

    @Test func acceptsAFullRecord() throws {
        let record = try decode(Fixtures.fullRecordJSON(sourceRef: "A-1", shareWithinGroup: true))
        #expect(record.vin.value == "VF3ABCDEF12345678")
        #expect(record.customer?.consent.shareWithinGroup == true)
        #expect(record.lines?.first?.label == "Engine oil")
        #expect(record.financing?.endsOn == CalendarDate("2029-10-01"))
    }

    @Test(arguments: ["VF3ABCDEF1234567", "VF3ABCDEF123456789", "VF3ABCDEFI2345678", "VF3ABCDEFO2345678", "VF3ABCDEFQ2345678", "vf3abcdef12345678"])
    func refusesBadVINs(vin: String) {
        let error = refusal(Fixtures.recordJSON(vin: vin))
        #expect(error?.code == .invalidVIN)
        #expect(error?.field == "vin")
    }

    @Test func refusesUnknownFieldsWithTheirPath() {
        #expect(refusal(Fixtures.recordJSON(extra: ["enteredBy": "d-other"])) == CharterError(.unknownField, "", field: "enteredBy"))
        let nested = Fixtures.recordJSON(extra: ["amount": ["cents": 1, "currency": "EUR", "vat": 20]])
        #expect(refusal(nested) == CharterError(.unknownField, "", field: "amount.vat"))
    }

    @Test(arguments: ["religion", "Religion", "political_opinion", "orientationSexuelle", "healthData", "skinColour", "couleurDePeau", "personalJudgement"])
    func refusesSpecialCategoryFieldNames(name: String) {
        let record = Fixtures.recordJSON(extra: ["customer": ["ref": "C", name: "x", "consent": ["shareWithinGroup": true, "marketing": false]]])
        let error = refusal(record)
        #expect(error?.code == .forbiddenData)
        #expect(error?.clause == "D2")
        #expect(error?.field == "customer.\(name)")
    }

    @Test func findsSpecialCategoryNamesDeepInsideUnknownMembers() {
        let error = refusal(Fixtures.recordJSON(extra: ["extra": ["a": [["b": ["ethnicity": "x"]]]]]))
        #expect(error?.code == .forbiddenData)
        #expect(error?.field == "extra.a[0].b.ethnicity")
    }

    @Test(arguments: [
        ("notes", "Client musulman, prévoir", "notes"),
        ("notes", "Very UNPLEASANT on the phone", "notes"),
        ("notes", "couleur de peau: n/a", "notes"),
        // Plural and feminine forms of a listed base form.
        ("notes", "clients homosexuels", "notes"), ("notes", "Musulmanes", "notes"), ("notes", "two Muslims", "notes"),
        ("notes", "cliente idiote", "notes"), ("notes", "handicapées", "notes"), ("notes", "Gays", "notes"),
        // Invisible format characters and compatibility forms do not hide a term.
        ("notes", "client id\u{200B}iot", "notes"), ("notes", "client id\u{00AD}iot", "notes"), ("notes", "client id\u{200D}iot", "notes"),
        ("notes", "client ｉｄｉｏｔ", "notes"), ("notes", "client \u{FB01}ddly idiot", "notes"),
    ])
    func refusesSpecialCategoryTermsInFreeText(member: String, text: String, path: String) {
        let error = refusal(Fixtures.recordJSON(extra: [member: text]))
        #expect(error?.code == .forbiddenData)
        #expect(error?.field == path)
        #expect(error?.clause == "D2")
    }

    @Test func screensLineLabelsAndCustomerNames() {
        let lines = Fixtures.recordJSON(extra: ["lines": [["code": "A"], ["code": "B", "label": "client radin"]]])
        #expect(refusal(lines)?.field == "lines[1].label")
        let customer = Fixtures.recordJSON(extra: ["customer": ["name": "Idiot du village", "consent": ["shareWithinGroup": false, "marketing": false]]])
        #expect(refusal(customer)?.field == "customer.name")
    }

    /// Identifiers and contact fields are screened too: a same-group dealer sees `sourceRef` and the lines.
    @Test func screensIdentifiersAndContactFields() {
        let consent = ["shareWithinGroup": false, "marketing": false]
        let cases: [([String: Any], String)] = [
            (Fixtures.recordJSON(sourceRef: "client idiot"), "sourceRef"),
            (Fixtures.recordJSON(extra: ["customer": ["ref": "juif-42", "consent": consent]]), "customer.ref"),
            (Fixtures.recordJSON(extra: ["customer": ["email": "radin@example.fr", "consent": consent]]), "customer.email"),
            (Fixtures.recordJSON(extra: ["lines": [["code": "A"], ["code": "MUSULMAN"]]]), "lines[1].code"),
            // Free text is still named first when both hold a term.
            (Fixtures.recordJSON(sourceRef: "idiot", extra: ["notes": "radin"]), "notes"),
        ]
        for (record, field) in cases {
            let error = refusal(record)
            #expect(error?.code == .forbiddenData && error?.field == field, "\(String(describing: error))")
        }
    }

    @Test func doesNotFlagWordsThatOnlyContainATerm() throws {
        // "gay" is a term; "Gaylord" is a name and must pass; "protestantism" is not "protestant" as a whole word.
        _ = try decode(Fixtures.recordJSON(extra: ["notes": "Spoke with Mr Gaylord about protestantism history"]))
        // Only the listed endings: "religionnaire" is not "religion", "baldness" is not "bald"; the endings
        // extend one-word terms only ("votes pour" is not "vote pour").
        _ = try decode(Fixtures.recordJSON(extra: ["notes": "religionnaire, baldness, idiotie; votes pour le devis"]))
        // Invisible characters are dropped, not read as spaces: "gay\u{200B}lord" is still "gaylord".
        _ = try decode(Fixtures.recordJSON(extra: ["notes": "Mr Gay\u{200B}lord, café"]))
        // A multi-word term matches as a phrase, not as words scattered through the text.
        _ = try decode(Fixtures.recordJSON(extra: ["notes": "Couleur bleue, housse en peau de mouton"]))
        #expect(refusal(Fixtures.recordJSON(extra: ["notes": "Housse: couleur de peau claire"]))?.code == .forbiddenData)
    }

    @Test func validatesRangesAndRequiredMembers() {
        #expect(refusal(Fixtures.recordJSON(extra: ["mileageKm": 2_000_001])) == .invalid("mileageKm", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["mileageKm": -1])) == .invalid("mileageKm", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["performedOn": "2026-11-24"])) == .invalid("performedOn", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["performedOn": "2026-02-30"])) == .invalid("performedOn", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["sourceRef": ""])) == .invalid("sourceRef", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["sourceRef": String(repeating: "x", count: 129)])) == .invalid("sourceRef", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["notes": String(repeating: "x", count: 4_001)])) == .invalid("notes", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["kind": "rental"])) == .invalid("kind", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["customer": ["name": "A B"]])) == .invalid("customer.consent", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["customer": ["email": "nope", "consent": ["shareWithinGroup": true, "marketing": true]]])) == .invalid("customer.email", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["financing": ["mode": "barter"]])) == .invalid("financing.mode", ""))
        #expect(refusal(Fixtures.recordJSON(extra: ["mileageKm": "12"])) == .invalid("mileageKm", ""))
        var missing = Fixtures.recordJSON()
        missing.removeValue(forKey: "kind")
        #expect(refusal(missing) == .invalid("kind", ""))
    }

    @Test func refusesWhatIsNotJSON() {
        #expect(throws: CharterError(.invalidJSON, "")) { try decoder.decode(Data("{nope".utf8), today: today) }
        #expect(throws: CharterError(.invalidJSON, "")) { try decoder.decode(Data("[1,2]".utf8), today: today) }
    }

    @Test func errorMessagesNameTheField() {
        let error = refusal(Fixtures.recordJSON(extra: ["operationType": "teleportation"]))
        #expect(error?.message.contains("operationType") == true)
        #expect(error?.message.contains("charter.yaml") == true)
    }

    @Test func canonicalJSONIsStableAcrossMemberOrder() throws {
        let a = try decoder.decode(Data(#"{"sourceRef":"X","vin":"VF3ABCDEF12345678","kind":"service","operationType":"repair","performedOn":"2026-01-01","mileageKm":5}"#.utf8), today: today)
        let b = try decoder.decode(Data(#"{"mileageKm":5,"performedOn":"2026-01-01","operationType":"repair","kind":"service","vin":"VF3ABCDEF12345678","sourceRef":"X"}"#.utf8), today: today)
        #expect(StoredRecord.canonicalJSON(a) == StoredRecord.canonicalJSON(b))
    }
}

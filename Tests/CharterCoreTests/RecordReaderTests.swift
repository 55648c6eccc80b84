@testable import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// The hand-written record reader: RFC 8259 held strictly, the closed format, and the field named in
/// every refusal. `RecordDecoderTests` covers the charter's rules on top of it.
@Suite struct RecordReaderTests {
    let screen: ForbiddenDataScreen

    init() throws {
        screen = try Fixtures.policy().forbiddenData
    }

    /// The fixture record with `members` spliced in as raw JSON text, so malformed values can be sent.
    func read(_ members: String = "") throws(CharterError) -> RecordInput {
        let base = #"{"sourceRef":"S-1","vin":"VF3ABCDEF12345678","kind":"service","operationType":"maintenance","performedOn":"2026-10-02""#
        let mileage = members.contains(#""mileageKm""#) ? "" : #","mileageKm":48210"#
        return try RecordReader.read(Array((base + mileage + (members.isEmpty ? "" : "," + members) + "}").utf8), screen: screen)
    }

    func refusal(_ members: String) -> CharterError? {
        thrownError { () throws(CharterError) in try read(members) }
    }

    @Test func readsBackEveryCanonicalBodyItsWriterWrites() throws {
        let input = try RecordDecoder(policy: Fixtures.policy()).decode(Fixtures.data(Fixtures.fullRecordJSON(sourceRef: "A-1", shareWithinGroup: true)))
        #expect(try RecordReader.read(CanonicalRecordWriter.json(input), screen: screen) == input)
    }

    @Test func acceptsWhitespaceEscapesAByteOrderMarkAndNullOptionals() throws {
        let text = "\u{FEFF}{ \"sourceRef\" : \"S\\u002d1\\/\" ,\n\t\"vin\":\"VF3ABCDEF12345678\",\"kind\":\"service\",\"operationType\":\"maintenance\","
            + "\"performedOn\":\"2026-10-02\",\"mileageKm\":0,\"notes\":null,\"amount\":null,\"lines\":[ ] }\r\n"
        let input = try RecordReader.read(Array(text.utf8), screen: screen)
        #expect(input.sourceRef == "S-1/" && input.mileageKm == 0 && input.notes == nil && input.amount == nil && input.lines == [])
    }

    @Test(arguments: [
        "{nope", "[1,2]", "", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":\"\\x\"}", "{\"a\":\"tab\there\"}",
        "{\"a\":tru}", "{\"a\":1} {}", "{\"a\":[1 2]}", "{\"a\":\"\\ud800\"}", "{\"a\" 1}",
    ])
    func refusesWhatIsNotJSONAsInvalidJSON(text: String) {
        #expect(throws: CharterError(.invalidJSON, "")) { try RecordReader.read(Array(text.utf8), screen: nil) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: CharterError(.invalidJSON, "")) { try RecordReader.read([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], screen: nil) }
        let deep = "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(throws: CharterError(.invalidJSON, "")) { try RecordReader.read(Array(deep.utf8), screen: nil) }
    }

    @Test(arguments: [
        (#""mileageKm":"12""#, "mileageKm"), (#""mileageKm":1.5"#, "mileageKm"), (#""mileageKm":null"#, "mileageKm"),
        (#""notes":5"#, "notes"), (#""customer":[]"#, "customer"), (#""lines":{}"#, "lines"), (#""lines":[null]"#, "lines[0]"),
        (#""lines":[{"code":"A"},{"code":"B","quantity":"x"}]"#, "lines[1].quantity"), (#""lines":[{"code":"A","amountCents":1e3}]"#, "lines[0].amountCents"),
        (#""customer":{"consent":{"shareWithinGroup":"yes","marketing":false}}"#, "customer.consent.shareWithinGroup"),
        (#""financing":{"mode":"loan","endsOn":"2029-13-01"}"#, "financing.endsOn"), (#""amount":{"cents":1}"#, "amount.currency"),
        (#""notes":"a","notes":"b""#, "notes"),
    ])
    func namesTheFieldOfATypeOrPresenceProblem(members: String, field: String) {
        let error = refusal(members)
        #expect(error?.code == .invalidRecord)
        #expect(error?.field == field, "\(error?.message ?? "accepted")")
    }

    @Test func anUnknownOrSpecialCategoryMemberIsRefusedBeforeATypeError() {
        #expect(refusal(#""mileageKm":"x","zzz":1,"aaa":2"#) == CharterError(.unknownField, "", field: "aaa"))
        let hidden = refusal(#""mileageKm":"x","extra":{"a":[{"b":{"ethnicity":"x"}}]}"#)
        #expect(hidden?.code == .forbiddenData && hidden?.field == "extra.a[0].b.ethnicity")
    }

    @Test func matchesEscapedMemberNamesAndReadsEscapedAndNonASCIIText() throws {
        let input = try read(
            #""n\u006ftes":"caf\u00e9 d\u00e9j\u00e0 \"vu\" ü","customer":{"phone":"+33 ٣٢ 00","consent":{"shareWithinGroup":true,"marketing":false}}"#
        )
        #expect(input.notes == "café déjà \"vu\" ü")
        #expect(input.customer?.phone == "+33 ٣٢ 00")
        #expect(refusal(#""notes":"a","n\u006ftes":"b""#) == .invalid("notes", ""))
        #expect(refusal(#""customer":{"phone":"+33 1 23 x","consent":{"shareWithinGroup":true,"marketing":false}}"#) == .invalid("customer.phone", ""))
    }

    @Test func storedBodiesAreReadWithoutTheScreen() {
        #expect(throws: CharterError(.unknownField, "", field: "religion")) {
            try RecordReader.read(Array(#"{"religion":"x"}"#.utf8), screen: nil)
        }
    }
}

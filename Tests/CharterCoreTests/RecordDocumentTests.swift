import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// Reads serve stored bodies by splicing, not decoding: the spliced views must say exactly what the
/// record says, and a body the hub did not write must be refused rather than served in part.
@Suite struct RecordDocumentTests {
    let decoder: RecordDecoder

    init() throws { decoder = RecordDecoder(policy: try Fixtures.policy()) }

    func record(_ json: [String: Any]) throws -> StoredRecord {
        StoredRecord.make(enteredBy: "d-lille", input: try decoder.decode(Fixtures.data(json), today: CalendarDate("2026-11-23")!))
    }

    @Test(arguments: [true, false])
    func theOwnViewSaysWhatTheRecordSays(shareWithinGroup: Bool) throws {
        let record = try record(Fixtures.fullRecordJSON(sourceRef: "R-1", shareWithinGroup: shareWithinGroup, marketing: true))
        let document = try RecordDocument(record)
        #expect(document.consent == Consent(shareWithinGroup: shareWithinGroup, marketing: true))
        let view = RecordView(document: document, relation: .own, fields: FieldSet(RecordField.allCases))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(view.json)) as? [String: Any])
        #expect(object.removeValue(forKey: "id") as? String == record.id)
        #expect(object.removeValue(forKey: "visibility") as? String == "own")
        #expect(object.removeValue(forKey: "enteredBy") as? String == "d-lille")
        #expect(object.removeValue(forKey: "recordedAt") as? String == Timestamp.string(record.recordedAt))
        #expect(try RecordDecoder.readStored(Array(Fixtures.data(object))) == record.input)
    }

    @Test func keysComeOutSortedAndWithheldMembersAreAbsent() throws {
        let record = try record(Fixtures.fullRecordJSON(sourceRef: "R-2", shareWithinGroup: true))
        let view = RecordView(document: try RecordDocument(record), relation: .crossGroup, fields: FieldSet([.visibility, .mileageKm, .operationType, .id]))
        let expected = #"{"id":"\#(record.id)","mileageKm":48210,"operationType":"maintenance","visibility":"cross_group"}"#
        #expect(String(decoding: view.json, as: UTF8.self) == expected)
        #expect(String(decoding: RecordView(document: try RecordDocument(record), relation: .own, fields: []).json, as: UTF8.self) == "{}")
    }

    @Test func aRecordWithoutCustomerHasNoConsent() throws {
        let document = try RecordDocument(try record(Fixtures.recordJSON()))
        #expect(document.consent == nil)
        #expect(document.value(of: .customer) == nil)
        #expect(document.value(of: .mileageKm).map { String(decoding: $0, as: UTF8.self) } == "48210")
    }

    @Test(arguments: [
        #"{"vin":"VF3ABCDEF12345678","religion":"x"}"#,
        #"{"vin":"VF3ABCDEF12345678","id":"rec_forged"}"#,
        #"{"vin":"VF3ABCDEF12345678""#,
        #"{"vin":"VF3ABCDEF12345678"} trailing"#,
        #"{"customer":{"consent":{"shareWithinGroup":true}}}"#,
        #"{"customer":{"consent":{"shareWithinGroup":yes,"marketing":false}}}"#,
        #"["not","an","object"]"#,
    ])
    func bodiesTheHubDidNotWriteAreRefused(body: String) {
        #expect(throws: CharterError.self) {
            try RecordDocument(id: "rec_1", enteredBy: "d-lille", recordedAt: "2026-11-23T08:00:00.000Z", version: 1, body: Array(body.utf8))
        }
    }
}

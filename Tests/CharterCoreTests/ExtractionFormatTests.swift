import CharterCore
import CharterTestSupport
import Foundation
import Testing

/// The content encoder, the manifest's signature and the offline verifier, without a store.
@Suite struct ExtractionFormatTests {
    let signer = try! NoteSigner.generate(name: "charterhub.test/log")

    /// Renders `versions` (body, version) of one dealer as one page, with its tally.
    func render(_ format: ExtractionFormat, _ versions: [(body: String, version: Int)]) throws -> ([UInt8], ExtractionTally) {
        let encoder = ExtractionEncoder(format: format)
        var stored = StoredVersionPage(enteredBy: "d-1")
        for (index, item) in versions.enumerated() {
            stored.append(id: "rec_\(index % 2)", version: item.version, recordedAt: "2026-11-23T10:00:00.000Z", body: item.body, sequence: Int64(index + 1))
        }
        var page = try encoder.page(stored)
        page.bytes = encoder.header() + page.bytes
        var tally = ExtractionTally()
        tally.add(page)
        return (page.bytes, tally)
    }

    /// One version rendered as an extraction renders it: a page of one, without the CSV header.
    func rendered(
        _ format: ExtractionFormat, id: String = "r", version: Int = 1, enteredBy: String = "d", body: String
    ) throws(CharterError) -> [UInt8] {
        var stored = StoredVersionPage(enteredBy: enteredBy)
        stored.append(id: id, version: version, recordedAt: "t", body: body, sequence: 1)
        return try ExtractionEncoder(format: format).page(stored).bytes
    }

    func manifest(_ format: ExtractionFormat, _ tally: ExtractionTally) throws -> ExtractionManifest {
        try ExtractionManifest(
            id: "ext_1", dealer: "d-1", requestedBy: "d-1", format: format, recordCount: tally.records, versionCount: tally.versions,
            bytes: tally.bytes, sha256: tally.sha256, snapshotAt: "2026-11-23T10:00:00.000Z", logTreeSize: 7, policyHash: "p"
        ).signed(by: signer)
    }

    static let body = #"{"kind":"service","mileageKm":5,"notes":"a, \"b\"\nc","operationType":"maintenance","performedOn":"2026-01-01","sourceRef":"A","vin":"VF3ABCDEF12345678"}"#

    @Test func ndjsonLinesCarryTheVersionMetadataAndTheWholeBody() throws {
        let (bytes, _) = try render(.ndjson, [(Self.body, 1), (Self.body, 2)])
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["version"] as? Int == 2)
        #expect(second["supersedes"] as? Int == 1)
        #expect(second["notes"] as? String == "a, \"b\"\nc")
        #expect(second["enteredBy"] as? String == "d-1")
    }

    @Test func aSignedManifestVerifiesAndAnyChangeBreaksTheSignature() throws {
        let (_, tally) = try render(.ndjson, [(Self.body, 1)])
        let signed = try manifest(.ndjson, tally)
        #expect(signed.isSigned(by: signer.verifier))
        #expect(signed.signature?.hasPrefix("\u{2014} charterhub.test/log ") == true)
        var changed = signed
        changed.versionCount += 1
        #expect(!changed.isSigned(by: signer.verifier))
        #expect(!signed.isSigned(by: try NoteSigner.generate(name: "charterhub.test/log").verifier))
        let roundTrip = try JSONDecoder().decode(ExtractionManifest.self, from: JSONEncoder().encode(signed))
        #expect(roundTrip.isSigned(by: signer.verifier))
    }

    @Test(arguments: ExtractionFormat.allCases)
    func theVerifierAcceptsTheContentAndNamesWhatDiffers(_ format: ExtractionFormat) throws {
        let (bytes, tally) = try render(format, [(Self.body, 1), (Self.body, 1), (Self.body, 2)])
        let signed = try manifest(format, tally)
        var check = try ExtractionVerifier(manifest: signed, verifier: signer.verifier)
        // Fed in uneven chunks, as a file reader would.
        for chunk in stride(from: 0, to: bytes.count, by: 7).map({ bytes[$0..<min(bytes.count, $0 + 7)] }) { try check.consume(chunk) }
        let verdict = try check.finish()
        #expect(verdict.records == 2)
        #expect(verdict.versions == 3)

        var truncated = try ExtractionVerifier(manifest: signed, verifier: signer.verifier)
        try truncated.consume(bytes.dropLast(3))
        #expect(throws: ExtractionVerifier.Failure.self) { try truncated.finish() }

        var flipped = bytes
        flipped[flipped.count - 10] ^= 0x20
        var altered = try ExtractionVerifier(manifest: signed, verifier: signer.verifier)
        try? altered.consume(flipped)
        #expect(throws: ExtractionVerifier.Failure.self) { try altered.finish() }
    }
}

extension ExtractionFormatTests {
    @Test func csvCellsHoldTheDecodedValuesOfEveryField() throws {
        let input = RecordInput(
            sourceRef: "Q,1", vin: try VIN(validating: "VF3ABCDEF12345678"), kind: .vnSale, operationType: "new_vehicle_sale",
            performedOn: CalendarDate("2026-01-02")!, mileageKm: 12,
            customer: Customer(ref: "C\"1", name: "Zoë Ñúñez 🚗", email: "z@example.org", phone: nil, consent: Consent(shareWithinGroup: false, marketing: true)),
            amount: Amount(cents: 2_500_000, currency: "EUR"),
            lines: [ServiceLine(code: "X", label: "here, \"quoted\" \\ é", quantity: 1.5, amountCents: 3)],
            financing: Financing(mode: .lease, months: 48, endsOn: nil),
            notes: "line one\r\nline two \\ backslash \u{1}"
        )
        let body = StoredRecord.canonicalJSON(input)
        var out = ExtractionEncoder(format: .csv).header()
        out += try rendered(.csv, id: "rec_1", version: 2, enteredBy: "d-1", body: String(decoding: body, as: UTF8.self))
        let rows = CSVRows.parse(String(decoding: out, as: UTF8.self))
        #expect(rows.count == 2)
        let row = Dictionary(uniqueKeysWithValues: zip(rows[0], rows[1]))
        #expect(row["id"] == "rec_1" && row["version"] == "2" && row["supersedes"] == "1" && row["enteredBy"] == "d-1")
        #expect(row["sourceRef"] == "Q,1")
        #expect(row["kind"] == input.kind.rawValue)
        #expect(row["customer.ref"] == "C\"1")
        #expect(row["customer.name"] == "Zoë Ñúñez 🚗")
        #expect(row["customer.phone"] == "")
        #expect(row["customer.consent.shareWithinGroup"] == "false")
        #expect(row["customer.consent.marketing"] == "true")
        #expect(row["amount.cents"] == "2500000")
        #expect(row["financing.mode"] == "lease" && row["financing.months"] == "48" && row["financing.endsOn"] == "")
        #expect(row["notes"] == input.notes)
        let lines = try JSONSerialization.jsonObject(with: Data(try #require(row["lines"]).utf8)) as? NSArray
        #expect(lines == (try JSONSerialization.jsonObject(with: JSONEncoder().encode(input.lines)) as? NSArray))
        #expect(Set(rows[0]) == Set(ExtractionEncoder.Column.allCases.map(\.rawValue)))
    }

    @Test(arguments: [
        (#"{"kind":"service","surprise":1}"#, "'surprise'"),
        (#"{"customer":{"consent":{"marketing":true,"surprise":"x"}}}"#, "'customer.consent.surprise'"),
        (#"{"customer":{"surprise":{"a":1}}}"#, "'customer.surprise'"),
        (#"{"mileageKm":{"a":1}}"#, "'mileageKm'"),
    ])
    func aBodyMemberWithoutAColumnIsRefusedRatherThanDropped(body: String, named: String) throws {
        let error = thrownError { _ = try rendered(.csv, body: body) }
        #expect((error as? CharterError)?.message.contains("member \(named) has no CSV column") == true, "\(String(describing: error))")
    }
}

extension ExtractionFormatTests {
    @Test func escapedStringsAreWrittenAsTheirCharacters() throws {
        let out = try rendered(.csv, body: #"{"notes":"caf\u00e9 \ud83d\ude97 \"q\" a\/b\tc","sourceRef":"S"}"#)
        let row = Dictionary(uniqueKeysWithValues: zip(ExtractionEncoder.Column.allCases.map(\.rawValue), CSVRows.parse(String(decoding: out, as: UTF8.self))[0]))
        #expect(row["notes"] == "café 🚗 \"q\" a/b\tc")
        #expect(row["sourceRef"] == "S")
        #expect(throws: CharterError.self) { try rendered(.csv, body: #"{"notes":"\x"}"#) }
    }
}

extension ExtractionFormatTests {
    /// Cells are tested for quoting eight bytes at a time: every length around a word, with each byte that
    /// forces quotes at every place, must read back whole, in a cell from the body and in one from metadata.
    @Test(arguments: [",", "\"", "\n", "\r", "a"])
    func everyCellReadsBackWholeWhereverTheQuotingByteFalls(_ special: String) throws {
        for length in 0..<20 {
            for place in 0...length {
                let text = String(repeating: "x", count: place) + special + String(repeating: "y", count: length - place)
                var notes: [UInt8] = []
                CanonicalJSON.write(text, into: &notes)
                let out = try rendered(.csv, enteredBy: text, body: #"{"notes":"# + String(decoding: notes, as: UTF8.self) + #","sourceRef":"S"}"#)
                let rows = CSVRows.parse(String(decoding: out, as: UTF8.self))
                let row = Dictionary(uniqueKeysWithValues: zip(ExtractionEncoder.Column.allCases.map(\.rawValue), rows.first ?? []))
                #expect(rows.count == 1 && row["notes"] == text && row["enteredBy"] == text, "\(text.debugDescription)")
                // RFC 4180 quotes exactly the cells that hold one of these bytes (a lenient reader would not notice).
                let cell = special == "a" ? text : "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                #expect(String(decoding: out, as: UTF8.self).contains(",t," + cell + ","), "\(text.debugDescription)")
            }
        }
    }
}

import CharterCore
import Testing

/// The log's term index stores keys computed by `IndexedTerms.key`: a change to the function would make
/// every stored run unfindable, so its values are pinned.
@Suite struct IndexedTermsTests {
    @Test func keysAreSixtyFourBitFNV1aOfTheUTF8Bytes() {
        // Published FNV-1a 64 test vectors.
        #expect(AccessLogEntry.IndexedTerms.key("") == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
        #expect(AccessLogEntry.IndexedTerms.key("a") == Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
        #expect(AccessLogEntry.IndexedTerms.key("foobar") == Int64(bitPattern: 0x8594_4171_f739_67e8))
        #expect(AccessLogEntry.IndexedTerms.key("é") == AccessLogEntry.IndexedTerms.key(utf8: [0xC3, 0xA9]))
    }

    @Test func anEntryIndexesItsActorAndTheDealerAndVINItNames() {
        let columns = AccessLogEntry.QueryColumns(time: "t", actor: "d-1", action: "vehicle.history", decision: "allow", vin: "VF3ABCDEF12345678", dealer: nil)
        let terms = columns.indexedTerms
        #expect(terms == AccessLogEntry.IndexedTerms(actor: AccessLogEntry.IndexedTerms.key("d-1"), vin: AccessLogEntry.IndexedTerms.key("VF3ABCDEF12345678")))
        #expect(terms.dealer == nil && terms.surplus == 0)
    }
}

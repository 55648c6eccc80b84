@testable import CharterServer
import Testing

/// `Range` header resolution (RFC 9110 §14.1.2): one range honoured, anything else the whole content.
@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-99", ByteRange.part(0...99)),
        ("bytes=100-", .part(100...999)),
        ("bytes=900-5000", .part(900...999)),
        ("bytes=-100", .part(900...999)),
        ("bytes=-5000", .part(0...999)),
        ("bytes=999-999", .part(999...999)),
        ("bytes=1000-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=0-1,5-6", .whole),
        ("bytes=10-5", .whole),
        ("bytes=a-", .whole),
        ("lines=0-5", .whole),
        ("bytes=", .whole),
    ])
    func resolvesAgainstAThousandBytes(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange(header: header, size: 1_000) == expected)
    }

    @Test func noHeaderMeansTheWholeContentAndNothingFitsAnEmptyOne() {
        #expect(ByteRange(header: nil, size: 10) == .whole)
        #expect(ByteRange(header: "bytes=0-", size: 0) == .unsatisfiable)
    }
}

/// Splits an NDJSON request body (`POST /v1/records/batch`) into its records.
enum NDJSONLines {
    /// The non-blank lines of `bytes` with their 1-based line numbers, each without its LF or CR LF.
    /// Blank lines (nothing but spaces and tabs) are counted, so numbers match the DMS's file, but not
    /// returned. The lines are slices of `bytes`, so a 10,000-line batch is split without copying a
    /// line: splitting through `ByteBufferView` was a quarter of the batch handler's time.
    ///
    /// The split stops at `limit + 1` lines, so that a body of millions of tiny lines costs no more memory
    /// than a full batch before it is refused.
    static func nonBlank(in bytes: [UInt8], limit: Int) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        var number = 0, start = 0
        while start <= bytes.count, lines.count <= limit {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            number += 1
            var line = bytes[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) { lines.append((number, line)) }
            start = end + 1
        }
        return lines
    }
}

import Foundation

/// The one byte range of a `Range: bytes=…` request header (RFC 9110 §14.1.2), resolved against a size.
///
/// Several ranges, other units and malformed values are ignored, as RFC 9110 allows: the whole content
/// is sent. A well-formed range that starts past the end is unsatisfiable (416).
enum ByteRange: Equatable {
    case whole
    case part(ClosedRange<Int>)
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { self = .whole; return }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { self = .whole; return }
        let first = parts[0].isEmpty ? nil : Int(parts[0]), last = parts[1].isEmpty ? nil : Int(parts[1])
        switch (parts[0].isEmpty, parts[1].isEmpty, first, last) {
        case (true, false, nil, let suffix?) where suffix >= 0:
            // `bytes=-N`: the last N bytes.
            guard suffix > 0, size > 0 else { self = .unsatisfiable; return }
            self = .part(max(0, size - suffix)...(size - 1))
        case (false, _, let start?, let end) where start >= 0 && (end.map { $0 >= start } ?? parts[1].isEmpty):
            guard start < size else { self = .unsatisfiable; return }
            self = .part(start...min(end ?? (size - 1), size - 1))
        default:
            self = .whole
        }
    }
}

/// How an extraction's content is written: one JSON object per line, or RFC 4180 CSV with a header row.
public enum ExtractionFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case ndjson
    case csv

    /// The `Content-Type` of the content.
    public var mediaType: String {
        switch self {
        case .ndjson: "application/x-ndjson"
        case .csv: "text/csv; charset=utf-8; header=present"
        }
    }
}

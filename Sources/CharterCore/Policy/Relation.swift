/// How the caller stands to the dealer that entered a record. The relation, not the caller alone,
/// decides which fields cross (C2, C3).
public enum Relation: String, Sendable, Hashable, Codable, CaseIterable {
    /// The caller entered the record.
    case own
    /// The caller and the entering dealer belong to the same ownership group (C3).
    case sameGroup = "same_group"
    /// The caller and the entering dealer belong to different groups (C2).
    case crossGroup = "cross_group"
    /// The caller keeps the records of a dealership sold outside the network, transferred by the brand (C7).
    case custodian
    /// The brand.
    case oem
    /// An auditor of the access log.
    case auditor
    /// The hub's operator.
    case `operator`

    /// Position in `allCases`, for table lookups on the hot path.
    var index: Int {
        switch self {
        case .own: return 0
        case .sameGroup: return 1
        case .crossGroup: return 2
        case .custodian: return 3
        case .oem: return 4
        case .auditor: return 5
        case .operator: return 6
        }
    }
}

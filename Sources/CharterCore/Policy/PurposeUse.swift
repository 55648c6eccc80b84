/// What a request does with dealer data. A purpose lists the uses it covers, so that declaring
/// `warranty` opens vehicle reads and nothing else (C5).
public enum PurposeUse: String, Sendable, Hashable, CaseIterable {
    /// Reading records and vehicle histories.
    case read
    /// Entering and correcting records.
    case write
    /// Asking for, following and downloading an extraction (C4).
    case extraction
    /// Transferring a sold dealership's records to a network member (C7).
    case transfer
}

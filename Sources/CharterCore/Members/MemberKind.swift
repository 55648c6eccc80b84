/// What a member of the hub is. The kind bounds what a member may ever do; the policy decides the rest.
public enum MemberKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A dealership, through its DMS.
    case dealer
    /// The brand.
    case oem
    /// Reads the access log.
    case auditor
    /// Runs the hub.
    case `operator`
}

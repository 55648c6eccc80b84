import Foundation

/// A participant of the exchange, identified by the common name of its client certificate.
public struct Member: Sendable, Hashable, Codable {
    public var id: String
    public var kind: MemberKind
    /// The ownership group; every dealer has one, other kinds none.
    public var group: String?
    public var name: String
    public var status: MemberStatus
    /// For a dealership, where it stands in the sale of its business; always `active` for other kinds.
    public var saleStatus: SaleStatus

    public init(id: String, kind: MemberKind, group: String? = nil, name: String, status: MemberStatus = .active, saleStatus: SaleStatus = .active) {
        self.id = id
        self.kind = kind
        self.group = group
        self.name = name
        self.status = status
        self.saleStatus = saleStatus
    }

    /// Member and group ids: 1–64 characters of letters, digits, `-`, `_` and `.`, so that they are safe
    /// as certificate common names, file names and URL path segments alike.
    public static func validateID(_ id: String, what: String = "member id") throws(CharterError) {
        guard (1...64).contains(id.utf8.count),
            id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }),
            id.first != ".", id.first != "-"
        else {
            throw .invalid(what, "\(what) '\(id)' must be 1–64 letters, digits, '-', '_' or '.', not starting with '.' or '-'")
        }
    }
}

/// An ownership group: the legal owner of one or more dealerships. Group membership decides what
/// crosses between dealers (C2, C3).
public struct DealerGroup: Sendable, Hashable, Codable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The body of `POST /v1/extractions`: the format, and for the brand, the dealer it acts for.
public struct ExtractionRequest: Sendable, Hashable, Decodable {
    public var format: ExtractionFormat
    /// The dealer whose data is asked for; a dealer may leave it out (its own data).
    public var dealer: String?

    public init(format: ExtractionFormat, dealer: String? = nil) {
        self.format = format
        self.dealer = dealer
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case format, dealer }

    public init(from decoder: any Decoder) throws {
        try decoder.checkKeys(CodingKeys.self, of: "an extraction request")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeChoice(ExtractionFormat.self, forKey: .format)
        dealer = try container.decodeIfPresent(String.self, forKey: .dealer)
        if let dealer { try Member.validateID(dealer, what: "dealer") }
    }
}

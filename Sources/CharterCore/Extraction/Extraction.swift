import Foundation

/// One extraction job (C4): who asked, for which dealer's data, and where it stands.
///
/// The job is durable: a hub that stops while it runs picks it up again at the next start, and because
/// the snapshot is a bound on append-only record versions, the content comes out byte for byte the same.
public struct Extraction: Sendable, Hashable {
    /// Where the job stands.
    public enum Status: String, Sendable, Hashable, Codable {
        case pending, running, ready, failed
    }

    /// `ext_<32 hex digits>`, random, so it says nothing about the dealer or the time.
    public let id: String
    /// The dealer whose entered data is extracted.
    public let dealer: String
    /// The member that asked: the dealer itself, or the brand on its behalf.
    public let requestedBy: String
    public let format: ExtractionFormat
    /// The declared purpose of the request (`dealer_request` for the brand).
    public let purpose: String?
    public let requestedAt: Date
    /// The `requestId` of the request, so the completion entry in the access log points back to it.
    public let requestID: String
    public var status: Status
    /// Set once the job has started.
    public var snapshot: ExtractionSnapshot?
    /// Set once the job is ready.
    public var manifest: ExtractionManifest?
    /// Why the job failed, in words; set once it has.
    public var failure: String?

    public init(
        id: String, dealer: String, requestedBy: String, format: ExtractionFormat, purpose: String?, requestedAt: Date,
        requestID: String, status: Status = .pending, snapshot: ExtractionSnapshot? = nil, manifest: ExtractionManifest? = nil, failure: String? = nil
    ) {
        self.id = id
        self.dealer = dealer
        self.requestedBy = requestedBy
        self.format = format
        self.purpose = purpose
        self.requestedAt = requestedAt
        self.requestID = requestID
        self.status = status
        self.snapshot = snapshot
        self.manifest = manifest
        self.failure = failure
    }

    /// A fresh id.
    public static func makeID() -> String {
        "ext_" + Hex.randomIdentifier()
    }

    /// Whether `memberID` may see this job and download its content: only the requester and the dealer.
    public func isParty(_ memberID: String) -> Bool {
        memberID == dealer || memberID == requestedBy
    }
}

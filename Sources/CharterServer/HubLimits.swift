/// The limits of every endpoint, in one place so the OpenAPI document and the code agree.
public enum HubLimits {
    /// `POST /v1/records`: one record.
    public static let recordBytes = 64 * 1024
    /// `POST /v1/records/batch`: the whole NDJSON body.
    public static let batchBytes = 16 * 1024 * 1024
    /// `POST /v1/records/batch`: non-empty lines.
    public static let batchLines = 10_000
    /// `POST /v1/extractions`: the request body.
    public static let extractionRequestBytes = 4 * 1024
    /// `POST /v1/dealers/{id}/sale`: the request body.
    public static let saleRequestBytes = 4 * 1024
    /// `POST /v1/transfers`: the request body.
    public static let transferRequestBytes = 1024
    /// Extractions one member may have pending or running at once.
    public static let extractionsInFlight = 4
    /// How long an idle keep-alive connection stays open.
    public static let idleSeconds: Int64 = 60
    /// How often a running hub looks for member changes (revocations) made by other processes.
    public static let directoryPollMilliseconds: Int64 = 200
}

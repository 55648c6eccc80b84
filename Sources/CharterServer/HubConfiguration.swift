import CharterPKI

/// Where the hub listens and where its keys are.
public struct HubConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the bound port is reported through `HubServer.onServerRunning`.
    public var port: Int
    public var pki: PKIDirectory
    /// The access log's origin line in checkpoints, also its signing key's name (C2SP).
    public var logOrigin: String

    public init(host: String = "127.0.0.1", port: Int = 8443, pki: PKIDirectory, logOrigin: String = HubConfiguration.defaultLogOrigin) {
        self.host = host
        self.port = port
        self.pki = pki
        self.logOrigin = logOrigin
    }

    /// The default origin of the access log.
    public static let defaultLogOrigin = "charterhub.local/access-log"
}

import CharterPKI

/// The verified client certificate of the current connection.
///
/// It is read once, when the TLS handshake completes, and carried to every request of that connection
/// in a task local, so no request pays a pipeline hop to look at the certificate again.
public struct PeerIdentity: Sendable, Hashable {
    public let certificate: CertificateIdentity

    public init(certificate: CertificateIdentity) {
        self.certificate = certificate
    }

    /// The identity of the connection the current task serves; nil outside one.
    @TaskLocal public static var current: PeerIdentity?
}

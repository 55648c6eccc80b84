import Crypto
import Foundation
import SwiftASN1
import X509

/// The layout of the certificates directory (`--certs-dir`, `./certs` by default):
///
/// ```
/// ca.pem, ca-key.pem          the issuing CA (the key may be absent with an enterprise CA)
/// server.pem, server-key.pem  the hub's TLS identity
/// members/<id>.pem            a member's client certificate
/// members/<id>-key.pem        its private key (mode 0600)
/// log.key                     the access log's Ed25519 signing key, base64 of its 32 bytes (mode 0600)
/// ```
public struct PKIDirectory: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var caCertificatePath: String { path("ca.pem") }
    public var caKeyPath: String { path("ca-key.pem") }
    public var serverCertificatePath: String { path("server.pem") }
    public var serverKeyPath: String { path("server-key.pem") }
    public var membersDirectory: String { path("members") }
    public var logKeyPath: String { path("log.key") }

    public func memberCertificatePath(_ id: String) -> String { path("members/\(id).pem") }
    public func memberKeyPath(_ id: String) -> String { path("members/\(id)-key.pem") }

    /// What `prepare` found or made, for the start-up log.
    public struct Preparation: Sendable {
        /// Files written now; empty when everything was already there.
        public let created: [String]
    }

    /// Makes sure a CA and a server certificate exist. On an empty directory this creates the
    /// development PKI: a self-signed CA and a server certificate for localhost, 127.0.0.1 and ::1.
    /// An existing CA (an enterprise one, say) is used as it is.
    public func prepare(now: Date = Date()) throws -> Preparation {
        var created: [String] = []
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: caCertificatePath) {
            guard !fileManager.fileExists(atPath: caKeyPath) else {
                throw PKIError(.unreadable, "\(caKeyPath) exists without \(caCertificatePath); restore the certificate or remove the key")
            }
            let authority = try CertificateAuthority.makeDevelopmentCA(now: now)
            try write(try authority.privateKey.serializeAsPEM().pemString + "\n", to: caKeyPath, secret: true)
            try write(try authority.certificate.serializeAsPEM().pemString + "\n", to: caCertificatePath, secret: false)
            created += [caCertificatePath, caKeyPath]
        }
        if !fileManager.fileExists(atPath: serverCertificatePath) || !fileManager.fileExists(atPath: serverKeyPath) {
            let server = try loadAuthority().issueServerCertificate(now: now)
            try write(try server.privateKeyPEM(), to: serverKeyPath, secret: true)
            try write(try server.certificatePEM(), to: serverCertificatePath, secret: false)
            created += [serverCertificatePath, serverKeyPath]
        }
        if !fileManager.fileExists(atPath: logKeyPath) {
            let key = Curve25519.Signing.PrivateKey()
            try write(key.rawRepresentation.base64EncodedString() + "\n", to: logKeyPath, secret: true)
            created.append(logKeyPath)
        }
        return Preparation(created: created)
    }

    /// The CA certificate clients must chain to.
    public func loadCACertificate() throws -> Certificate {
        try Certificate(pemEncoded: read(caCertificatePath))
    }

    /// The CA with its key, to issue certificates.
    public func loadAuthority() throws -> CertificateAuthority {
        let certificate = try loadCACertificate()
        guard FileManager.default.fileExists(atPath: caKeyPath) else {
            throw PKIError(
                .noIssuingKey,
                "\(caKeyPath) is missing: this hub trusts a CA it cannot issue with (see certs/README.md, 'Using an enterprise CA')"
            )
        }
        return try CertificateAuthority(certificate: certificate, privateKey: try Certificate.PrivateKey(pemEncoded: read(caKeyPath)))
    }

    /// The access log's Ed25519 signing key (32 bytes).
    public func loadLogKey() throws -> Data {
        let text = try read(logKeyPath).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(base64Encoded: text), key.count == 32 else {
            throw PKIError(.unreadable, "\(logKeyPath) does not hold a base64 Ed25519 key of 32 bytes")
        }
        return key
    }

    /// Writes a member's certificate and key under `members/`, the key readable by its owner only.
    public func writeMemberCredential(_ credential: IssuedCredential, memberID: String) throws -> (certificate: String, key: String) {
        try FileManager.default.createDirectory(atPath: membersDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try write(try credential.privateKeyPEM(), to: memberKeyPath(memberID), secret: true)
        try write(try credential.certificatePEM(), to: memberCertificatePath(memberID), secret: false)
        return (memberCertificatePath(memberID), memberKeyPath(memberID))
    }

    private func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    private func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PKIError(.unreadable, "cannot read \(path)")
        }
        return text
    }

    /// Writes through a temporary file and a rename, so a crash never leaves half a key behind;
    /// secrets are created 0600 from the start rather than narrowed afterwards.
    private func write(_ text: String, to path: String, secret: Bool) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: root, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        guard fileManager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: secret ? 0o600 : 0o644]) else {
            throw PKIError(.writeFailed, "cannot write \(path)")
        }
        if rename(temporary, path) != 0 {
            try? fileManager.removeItem(atPath: temporary)
            throw PKIError(.writeFailed, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

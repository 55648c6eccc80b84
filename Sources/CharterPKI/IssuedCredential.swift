import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate the hub just issued, with its private key and the facts the directory records about it.
public struct IssuedCredential: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey

    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The certificate, PEM-encoded.
    public func certificatePEM() throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }

    /// The private key, PKCS#8 PEM, as TLS libraries and curl read it.
    public func privateKeyPEM() throws -> String { try privateKey.serializeAsPEM().pemString + "\n" }

    /// Serial, fingerprint and validity, as `CertificateIdentity` would read them back from a TLS peer.
    public func identity() throws -> CertificateIdentity {
        try CertificateIdentity(certificate)
    }
}

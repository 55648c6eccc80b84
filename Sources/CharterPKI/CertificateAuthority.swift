import Crypto
import Foundation
import SwiftASN1
import X509

/// The hub's issuing CA: a P-256 key and its certificate. It issues the server certificate and one
/// client certificate per member, whose common name is the member id.
///
/// Profiles (see `certs/README.md`): the CA is `cA=TRUE, pathLen=0` with `keyCertSign, cRLSign`;
/// the server is `digitalSignature` + `serverAuth` with SANs; members are `digitalSignature` + `clientAuth`.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey

    /// How long each kind of certificate lives.
    public enum Validity {
        public static let authority: TimeInterval = 10 * 365 * 86_400
        public static let server: TimeInterval = 397 * 86_400
        public static let member: TimeInterval = 397 * 86_400
        /// Backdating, so a peer whose clock is a little behind still accepts a fresh certificate.
        public static let backdate: TimeInterval = 3_600
    }

    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws(PKIError) {
        guard certificate.publicKey == privateKey.publicKey else {
            throw PKIError(.invalidCertificate, "the CA key does not match the CA certificate")
        }
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A new self-signed development CA.
    public static func makeDevelopmentCA(commonName: String = "charterhub development CA", now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("charterhub")
            CommonName(commonName)
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now - Validity.backdate,
            notValidAfter: now + Validity.authority,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return try CertificateAuthority(certificate: certificate, privateKey: Certificate.PrivateKey(key))
    }

    /// The TLS server certificate, for `hosts` (DNS names) and `addresses` (IPv4 or IPv6 literals).
    public func issueServerCertificate(
        hosts: [String] = ["localhost"], addresses: [String] = ["127.0.0.1", "::1"], now: Date = Date()
    ) throws -> IssuedCredential {
        var names = hosts.map { GeneralName.dnsName($0) }
        for address in addresses {
            guard let bytes = Self.addressBytes(address) else {
                throw PKIError(.invalidCertificate, "'\(address)' is not an IPv4 or IPv6 address")
            }
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        return try issue(commonName: hosts.first ?? "charterhub", organizationalUnit: "server", now: now, lifetime: Validity.server) {
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(names)
        }
    }

    /// A member's client certificate: CN = member id, OU = member kind.
    public func issueMemberCertificate(memberID: String, kind: String, now: Date = Date(), lifetime: TimeInterval = Validity.member) throws -> IssuedCredential {
        try issue(commonName: memberID, organizationalUnit: kind, now: now, lifetime: lifetime) {
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.clientAuth])
        }
    }

    private func issue(
        commonName: String, organizationalUnit: String, now: Date, lifetime: TimeInterval,
        @ExtensionsBuilder extensions: () throws -> Result<Certificate.Extensions, any Error>
    ) throws -> IssuedCredential {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        var all = try extensions().get()
        try all.append(Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true))
        try all.append(Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false))
        if let authorityKey = try certificate.extensions.subjectKeyIdentifier {
            try all.append(Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKey.keyIdentifier), critical: false))
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now - Validity.backdate,
            notValidAfter: min(now + lifetime, self.certificate.notValidAfter),
            issuer: self.certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("charterhub")
                OrganizationalUnitName(organizationalUnit)
                CommonName(commonName)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: all,
            issuerPrivateKey: privateKey
        )
        return IssuedCredential(certificate: certificate, privateKey: Certificate.PrivateKey(key))
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

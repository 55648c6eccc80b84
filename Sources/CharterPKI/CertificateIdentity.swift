import Crypto
import Foundation
import SwiftASN1
import X509

/// What the hub needs to know about a presented certificate: who it names and which exact certificate it is.
public struct CertificateIdentity: Sendable, Hashable {
    /// The subject common name: the member id.
    public let commonName: String
    /// SHA-256 of the DER encoding, lower-case hex.
    public let fingerprint: String
    /// The serial number, lower-case hex.
    public let serial: String
    public let notAfter: Date

    /// Reads the identity of a parsed certificate.
    public init(_ certificate: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        self.init(certificate: certificate, der: serializer.serializedBytes)
    }

    /// Reads the identity of a DER-encoded certificate, as a TLS stack hands it over.
    public init(der: [UInt8]) throws(PKIError) {
        do {
            self.init(certificate: try Certificate(derEncoded: der), der: der)
        } catch {
            throw PKIError(.invalidCertificate, "the peer certificate cannot be parsed: \(error)")
        }
    }

    private init(certificate: Certificate, der: [UInt8]) {
        commonName = Self.commonName(of: certificate.subject) ?? ""
        fingerprint = Self.hex(SHA256.hash(data: der))
        serial = Self.hex(certificate.serialNumber.bytes)
        notAfter = certificate.notValidAfter
    }

    /// The first common name of `name`, if any.
    public static func commonName(of name: DistinguishedName) -> String? {
        for rdn in name {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

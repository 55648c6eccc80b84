import CharterPKI
import CharterTestSupport
import Foundation
import SwiftASN1
import Testing
@_spi(FixedExpiryValidationTime) import X509

@Suite struct CertificateAuthorityTests {
    /// A fixed reference time, so these tests never depend on the day they run.
    let reference = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func memberCertificatesNameTheMemberAndChainToTheCA() async throws {
        let authority = try CertificateAuthority.makeDevelopmentCA(now: reference)
        let issued = try authority.issueMemberCertificate(memberID: "d-lille", kind: "dealer", now: reference)
        #expect(CertificateIdentity.commonName(of: issued.certificate.subject) == "d-lille")
        #expect(try issued.certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
        #expect(try issued.certificate.extensions.basicConstraints == .notCertificateAuthority)

        var verifier = Verifier(rootCertificates: CertificateStore([authority.certificate])) {
            RFC5280Policy(fixedExpiryValidationTime: reference + 86_400)
        }
        let result = await verifier.validate(leaf: issued.certificate, intermediates: CertificateStore())
        guard case .validCertificate = result else {
            Issue.record("the member certificate must chain to the hub CA: \(result)")
            return
        }
    }

    @Test func aForeignCADoesNotValidateTheHubsMembers() async throws {
        let hub = try CertificateAuthority.makeDevelopmentCA(now: reference)
        let foreign = try CertificateAuthority.makeDevelopmentCA(commonName: "elsewhere", now: reference)
        let issued = try foreign.issueMemberCertificate(memberID: "d-lille", kind: "dealer", now: reference)
        var verifier = Verifier(rootCertificates: CertificateStore([hub.certificate])) { RFC5280Policy(fixedExpiryValidationTime: reference) }
        guard case .couldNotValidate = await verifier.validate(leaf: issued.certificate, intermediates: CertificateStore()) else {
            Issue.record("a certificate from another CA must not validate")
            return
        }
    }

    @Test func theServerCertificateCoversLoopback() throws {
        let server = try CertificateAuthority.makeDevelopmentCA(now: reference).issueServerCertificate(now: reference)
        let names = try #require(try server.certificate.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1])))))
        #expect(try server.certificate.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
    }

    @Test func theDirectoryCreatesTheDevelopmentPKIOnceWithPrivateKeys() throws {
        let directory = try TemporaryDirectory("charterhub-pki")
        defer { directory.remove() }
        let pki = PKIDirectory(root: directory.appending("certs"))
        let first = try pki.prepare()
        #expect(Set(first.created) == [pki.caCertificatePath, pki.caKeyPath, pki.serverCertificatePath, pki.serverKeyPath, pki.logKeyPath])
        #expect(try pki.prepare().created.isEmpty)
        let issued = try pki.loadAuthority().issueMemberCertificate(memberID: "d-1", kind: "dealer")
        let paths = try pki.writeMemberCredential(issued, memberID: "d-1")
        for secret in [pki.caKeyPath, pki.serverKeyPath, pki.logKeyPath, paths.key] {
            let mode = try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(secret)")
        }
        let reread = try Certificate(pemEncoded: String(contentsOfFile: paths.certificate, encoding: .utf8))
        #expect(try CertificateIdentity(reread).fingerprint == (try issued.identity().fingerprint))
    }
}

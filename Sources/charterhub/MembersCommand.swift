import ArgumentParser
import CharterCore
import CharterServer
import Foundation

/// `charterhub members add|list|revoke`.
struct MembersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members", abstract: "Manage members and their client certificates.", subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member and issue its client certificate (CN = member id).")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Member id; becomes the certificate's common name.") var id: String
        @Option(help: "dealer, oem, auditor or operator.") var kind: MemberKind
        @Option(help: "Ownership group (required for dealers).") var group: String?
        @Option(help: "Human name.") var name: String?

        func run() async throws {
            let preparation = try hub.pki.prepare()
            for path in preparation.created { print("created \(path)") }
            let result = try await MemberEnrollment(store: hub.openStore(), pki: hub.pki, operator: hub.localOperator())
                .enroll(Member(id: id, kind: kind, group: group, name: name ?? id))
            print("member \(id) added (\(kind.rawValue))")
            print("  certificate: \(result.certificatePath)")
            print("  private key: \(result.keyPath) (mode 0600)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List members.")

        @OptionGroup var hub: HubOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let directory = try await hub.openExistingStore().loadDirectory()
            let members = directory.members.values.sorted { $0.id < $1.id }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(members), as: UTF8.self))
                return
            }
            print("ID".padding(toLength: 20, withPad: " ", startingAt: 0) + "KIND      GROUP       STATUS   NAME")
            for member in members {
                print(
                    member.id.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + member.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + (member.group ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0)
                        + member.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                        + member.name
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a member and its certificates; a running hub applies it within a second.")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Member id.") var id: String

        func run() async throws {
            let store = try hub.openStore()
            try await store.revokeMember(id, at: Date())
            _ = try await store.appendLog([hub.localOperator().entry("member.revoke", target: .init(dealer: id))])
            print("member \(id) revoked")
        }
    }
}

extension MemberKind: ExpressibleByArgument {}

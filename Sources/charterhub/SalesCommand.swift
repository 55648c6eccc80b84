import ArgumentParser
import CharterCore
import CharterServer
import Foundation

/// `charterhub sales open|conclude|cancel|show`: the operator's console for the sale of a dealership
/// (C6–C8). Changes are logged in the operator's name and reach a running hub within its directory poll.
struct SalesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales", abstract: "Record the sale of a dealership (C6–C8).", subcommands: [Open.self, Conclude.self, Cancel.self, Show.self]
    )

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Announce a pending sale; the brand may then neither resell nor give away the dealer's data (C8).")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Dealership id.") var dealer: String
        @Option(help: "The buyer's name.") var buyer: String
        @Flag(help: "The buyer is a member of the network (a takeover); name its group with --group.") var networkMember = false
        @Option(help: "The ownership group the dealership joins (network buyers only).") var group: String?

        func run() async throws {
            let body = Data(try JSONSerialization.data(withJSONObject: [
                "action": "open", "buyer": ["name": buyer, "networkMember": networkMember].merging(group.map { ["group": $0] } ?? [:]) { $1 },
            ]))
            try await SalesCommand.apply(body, to: dealer, hub: hub)
        }
    }

    struct Conclude: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Conclude the pending sale: into the buyer's group, or out of the network (C6).")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Dealership id.") var dealer: String

        func run() async throws {
            try await SalesCommand.apply(Data(#"{"action":"conclude"}"#.utf8), to: dealer, hub: hub)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Call off the pending sale; the dealership is active again.")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Dealership id.") var dealer: String

        func run() async throws {
            try await SalesCommand.apply(Data(#"{"action":"cancel"}"#.utf8), to: dealer, hub: hub)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a dealership's sale status, history and custody as JSON.")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Dealership id.") var dealer: String

        func run() async throws {
            guard let standing = try await hub.openExistingStore().dealerStanding(id: dealer) else {
                throw ValidationError("no dealership '\(dealer)'")
            }
            print(try SalesCommand.json(standing))
        }
    }

    /// Decodes the action exactly as the API does, applies it, and prints the new standing or the refusal.
    static func apply(_ body: Data, to dealer: String, hub: HubOptions) async throws {
        let action = try RecordDecoder.decode(SaleAction.self, from: body)
        let store = try hub.openStore()
        let console = try hub.localOperator()
        let outcome = try await SaleDesk(store: store).apply(action, dealer: dealer, by: console.actor) { name, decision, clause, target, code in
            console.entry(name, decision: decision, clause: clause, target: target, code: code)
        }
        switch outcome {
        case .moved(let transition):
            print("\(dealer): \(transition.from.rawValue) → \(transition.to.rawValue) (group \(transition.group))")
        case .refused(let refusal):
            throw SaleDesk.error(refusal)
        case .notFound:
            throw ValidationError("no dealership '\(dealer)'")
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

import ArgumentParser
import CharterCore
import CharterServer

/// `charterhub groups add <id> --name <text>`.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "groups", abstract: "Manage ownership groups.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an ownership group.")

        @OptionGroup var hub: HubOptions
        @Argument(help: "Group id (letters, digits, '-', '_', '.').") var id: String
        @Option(help: "Human name of the group.") var name: String

        func run() async throws {
            try Member.validateID(id, what: "group id")
            let store = try hub.openStore()
            try await store.addGroup(DealerGroup(id: id, name: name))
            _ = try await store.appendLog([hub.localOperator().entry("group.add")])
            print("group \(id) added")
        }
    }
}

import ArgumentParser

/// `charterhub`: the data-charter hub and its administration.
@main
struct CharterhubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charterhub",
        abstract: "The mutual-TLS hub that enforces the brand/dealer data charter.",
        subcommands: [ServeCommand.self, GroupsCommand.self, MembersCommand.self, SalesCommand.self, PolicyCommand.self, AuditCommand.self, ExtractCommand.self]
    )
}

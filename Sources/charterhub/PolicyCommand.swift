import ArgumentParser
import CharterCore
import Foundation

/// `charterhub policy check|test`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Validate and test the charter policy.", subcommands: [Check.self, Test.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compile the policy files and report the first problem with its file and line.")

        @OptionGroup var hub: HubOptions

        func run() async throws {
            let policy = try hub.loadPolicy()
            print("\(hub.policies)/\(PolicyCompiler.fileName): OK (sha256 \(policy.hash))")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the policy test cases in <policies>/tests, like `opa test`.")

        @OptionGroup var hub: HubOptions

        func run() async throws {
            let policy = try hub.loadPolicy()
            let outcomes = try PolicyTestSuite(policy: policy).run(directory: (hub.policies as NSString).appendingPathComponent("tests"))
            var file = ""
            for outcome in outcomes {
                if outcome.file != file {
                    file = outcome.file
                    print("\(file):")
                }
                if let failure = outcome.failure {
                    print("  FAIL  \(outcome.name)\n        \(failure)")
                } else {
                    print("  PASS  \(outcome.name)")
                }
            }
            let passed = outcomes.filter(\.passed).count
            print(String(repeating: "-", count: 80))
            print("PASS: \(passed)/\(outcomes.count)")
            if passed != outcomes.count {
                print("FAIL: \(outcomes.count - passed)/\(outcomes.count)")
                throw ExitCode.failure
            }
        }
    }
}

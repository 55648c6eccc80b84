import ArgumentParser
import CharterCore
import CharterPKI
import CharterServer
import CharterStorage
import Foundation

/// The three locations every subcommand works on, with the same defaults everywhere.
struct HubOptions: ParsableArguments {
    @Option(help: "Directory of the SQLite database.")
    var dataDir = "./data"

    @Option(help: "Directory of the PKI: CA, server and member certificates and keys.")
    var certsDir = "./certs"

    @Option(help: "Directory of the charter policy (charter.yaml) and its tests.")
    var policies = "./policies"

    var pki: PKIDirectory { PKIDirectory(root: certsDir) }

    func openStore() throws -> SQLiteHubStore { try SQLiteHubStore(dataDirectory: dataDir) }

    /// The store of a hub that has run. Commands that only read refuse a missing database instead of
    /// creating an empty one, which would make a mistyped `--data-dir` look like an empty network or log.
    func openExistingStore() throws -> SQLiteHubStore {
        let path = SQLiteHubStore.path(inDataDirectory: dataDir)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no database at \(path); pass the --data-dir of a hub that has run")
        }
        return try openStore()
    }

    func loadPolicy() throws -> CharterPolicy { try PolicyCompiler.load(directory: policies) }

    /// The console operator, in whose name CLI changes are logged.
    func localOperator() throws -> LocalOperator { LocalOperator(policyHash: try loadPolicy().hash) }
}

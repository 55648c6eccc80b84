import CharterCore
import CharterStorage
import Foundation

/// Offline verification of a copy of a hub's database edited behind its back with the `sqlite3` shell:
/// what an auditor's `audit verify` says of a given tampering.
public enum TamperedLog {
    /// The first failure `AccessLogVerifier` finds in a copy of `database`, made in `directory` and edited
    /// with `sql`; nil when the copy still verifies under `verifier`.
    public static func failure(
        of database: String, in directory: TemporaryDirectory, editedWith sql: String, verifier: NoteVerifier
    ) async throws -> AccessLogVerifier.Failure? {
        let copy = directory.appending("copy-\(UUID().uuidString.prefix(6)).sqlite")
        _ = try SQLiteShell.run(database, "VACUUM INTO '\(copy)';")
        _ = try SQLiteShell.run(copy, sql)
        do {
            _ = try await AccessLogVerifier.verify(try SQLiteHubStore(path: copy), verifier: verifier)
            return nil
        } catch let failure as AccessLogVerifier.Failure {
            return failure
        }
    }
}

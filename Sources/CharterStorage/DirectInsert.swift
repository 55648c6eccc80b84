import Foundation
import GRDB
import GRDBSQLite

/// Runs one of the store's own inserts with its values bound straight from Swift strings and integers.
///
/// GRDB's `StatementArguments` boxes every value as a `DatabaseValue` and binds them in a second pass. On
/// the serial writer that cost shows: about 15% of its time on the ingest path, where each record is
/// inserted twice (perf, 60,000 records), and about half of its Swift time when it appends access-log
/// entries, a leaf and two tree nodes each on average (perf, group commit). The statement stays GRDB's:
/// it is compiled, cached and finalized by GRDB and runs inside GRDB's transaction, so rollback and change
/// counts behave as for any other statement.
struct DirectInsert {
    private let statement: SQLiteStatement
    private var bound: Int32 = 0

    /// SQLite copies the bytes before the call returns, so a Swift string's storage need not outlive it.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self) }

    private init(_ statement: SQLiteStatement) {
        self.statement = statement
    }

    /// Binds the next parameter to `value` as UTF-8 text (never NULL, even when empty).
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bindText(UnsafeRawBufferPointer($0)) }
    }

    /// Binds the next parameter to `value` as text, or to NULL when there is none.
    mutating func text(_ value: String?) {
        guard let value else {
            bound += 1
            sqlite3_bind_null(statement, bound)
            return
        }
        text(value)
    }

    /// Binds the next parameter to `bytes` as a blob (a zero-length blob when empty, never NULL).
    mutating func blob(_ bytes: some ContiguousBytes) {
        bound += 1
        bytes.withUnsafeBytes { bytes in
            // SQLite reads a NULL pointer as NULL, whatever the length: an empty blob needs a real address.
            withUnsafeBytes(of: 0) { empty in
                _ = sqlite3_bind_blob(statement, bound, bytes.baseAddress ?? empty.baseAddress, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Binds the next parameter to `utf8` as text, straight from its bytes, which must be valid UTF-8.
    mutating func text(utf8: some ContiguousBytes) {
        utf8.withUnsafeBytes { bindText($0) }
    }

    private mutating func bindText(_ bytes: UnsafeRawBufferPointer) {
        bound += 1
        if let base = bytes.baseAddress {
            sqlite3_bind_text(statement, bound, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        } else {
            sqlite3_bind_text(statement, bound, "", 0, Self.transient)
        }
    }

    /// Binds the next parameter to `value`.
    mutating func integer(_ value: Int64) {
        bound += 1
        sqlite3_bind_int64(statement, bound, value)
    }

    /// Binds every parameter of `statement` with `bind`, in order, and steps it once.
    /// Throws GRDB's `DatabaseError`, as GRDB's own `execute` would, when SQLite refuses the row.
    static func run(_ statement: Statement, bind: (inout DirectInsert) -> Void) throws {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        // Whatever happens below, the statement is left ready for its next run.
        defer { sqlite3_reset(raw) }
        var insert = DirectInsert(raw)
        bind(&insert)
        let expected = sqlite3_bind_parameter_count(raw)
        guard insert.bound == expected else {
            throw DatabaseError(message: "\(insert.bound) values bound for \(expected) parameters", sql: statement.sql)
        }
        let code = sqlite3_step(raw)
        guard code == SQLITE_DONE else {
            // Read before the reset, which would replace it.
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(raw)))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}

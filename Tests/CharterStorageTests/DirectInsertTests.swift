@testable import CharterStorage
import Foundation
import GRDB
import Testing

/// The store's own inserts bind their values without GRDB's arguments; they must store exactly what GRDB
/// would, and fail as GRDB would.
@Suite struct DirectInsertTests {
    func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER NOT NULL, a TEXT NOT NULL UNIQUE, b TEXT NOT NULL)") }
        return queue
    }

    @Test func storesTextAndIntegersAsGRDBDoesAndKeepsEveryByte() throws {
        let queue = try table()
        let values: [(Int64, String, String)] = [(-42, "", "Clermont-Ferrand, 63 — « révision »"), (Int64.max, "é\u{0}z", "")]
        let stored = try queue.write { db -> (direct: [Row], grdb: [Row]) in
            try db.execute(sql: "CREATE TABLE u (n INTEGER NOT NULL, a TEXT NOT NULL UNIQUE, b TEXT NOT NULL)")
            let direct = try db.cachedStatement(sql: "INSERT INTO t (n, a, b) VALUES (?, ?, ?)")
            for (n, a, b) in values {
                try DirectInsert.run(direct) { $0.integer(n); $0.text(a); $0.text(utf8: Data(b.utf8)) }
                try db.execute(sql: "INSERT INTO u (n, a, b) VALUES (?, ?, ?)", arguments: [n, a, b])
            }
            let columns = "n, hex(a), hex(b), typeof(a), typeof(b)"
            return (try Row.fetchAll(db, sql: "SELECT \(columns) FROM t ORDER BY rowid"), try Row.fetchAll(db, sql: "SELECT \(columns) FROM u ORDER BY rowid"))
        }
        #expect(stored.direct.count == 2)
        #expect(stored.direct[0] == stored.grdb[0])
        // Every byte is kept, a NUL included, where GRDB binds a string up to its first NUL.
        #expect(stored.direct[1] == ["n": Int64.max, "hex(a)": "C3A9007A", "hex(b)": "", "typeof(a)": "text", "typeof(b)": "text"])
        #expect(stored.grdb[1]["hex(a)"] == "C3A9")
    }

    @Test func storesBlobsAndNullsAsGRDBDoes() throws {
        let queue = try DatabaseQueue()
        let values: [(Data, String?)] = [(Data([0, 1, 0xFF]), nil), (Data(), "d1"), (Data("{\"a\":1}".utf8), "")]
        let stored = try queue.write { db -> (direct: [Row], grdb: [Row]) in
            try db.execute(sql: "CREATE TABLE t (b BLOB, s TEXT); CREATE TABLE u (b BLOB, s TEXT)")
            let direct = try db.cachedStatement(sql: "INSERT INTO t (b, s) VALUES (?, ?)")
            for (b, s) in values {
                try DirectInsert.run(direct) { $0.blob(b); $0.text(s) }
                try db.execute(sql: "INSERT INTO u (b, s) VALUES (?, ?)", arguments: [b, s])
            }
            // Bytes with no address at all, as an empty buffer may have.
            try DirectInsert.run(direct) { $0.blob(UnsafeRawBufferPointer(start: nil, count: 0)); $0.text("none") }
            try db.execute(sql: "INSERT INTO u (b, s) VALUES (?, ?)", arguments: [Data(), "none"])
            let columns = "hex(b), typeof(b), s, typeof(s)"
            return (try Row.fetchAll(db, sql: "SELECT \(columns) FROM t ORDER BY rowid"), try Row.fetchAll(db, sql: "SELECT \(columns) FROM u ORDER BY rowid"))
        }
        #expect(stored.direct == stored.grdb)
        // An empty blob stays a blob, never NULL, and a missing text is NULL, never empty.
        #expect(stored.direct.map { $0["typeof(b)"] as String } == ["blob", "blob", "blob", "blob"])
        #expect(stored.direct.map { $0["typeof(s)"] as String } == ["null", "text", "text", "text"])
        #expect(stored.direct[0]["hex(b)"] == "0001FF")
    }

    @Test func refusalsAreGRDBErrorsAndTheStatementRunsAgain() throws {
        let queue = try table()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (n, a, b) VALUES (?, ?, ?)")
            try DirectInsert.run(insert) { $0.integer(1); $0.text("same"); $0.text("x") }
            let duplicate = #expect(throws: DatabaseError.self) {
                try DirectInsert.run(insert) { $0.integer(2); $0.text("same"); $0.text("y") }
            }
            #expect(duplicate?.resultCode == .SQLITE_CONSTRAINT)
            let short = #expect(throws: DatabaseError.self) {
                try DirectInsert.run(insert) { $0.integer(3); $0.text("other") }
            }
            #expect(short?.message?.contains("2 values bound for 3 parameters") == true)
            try DirectInsert.run(insert) { $0.integer(4); $0.text("other"); $0.text("z") }
        }
        #expect(try queue.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY rowid") } == [1, 4])
    }
}

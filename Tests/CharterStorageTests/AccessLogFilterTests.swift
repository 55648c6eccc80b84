import CharterCore
import CharterStorage
import CharterTestSupport
import Foundation
import Testing

/// Auditors' filters over the log, checked against what the entries themselves say: filters alone and
/// combined, paging with `after`, and entries another process appended.
extension SQLiteHubStoreTests {
    @Test func filtersAndPagesReturnExactlyTheMatchingEntriesWhoeverAppendedThem() async throws {
        let directory = try TemporaryDirectory("charterhub-log-filters")
        defer { directory.remove() }
        let hub = try SQLiteHubStore(dataDirectory: directory.path)
        let cli = try SQLiteHubStore(dataDirectory: directory.path)
        _ = try await hub.appendLog(Fixtures.logEntries(0..<30))
        _ = try await cli.appendLog(Fixtures.logEntries(30..<40))  // another process, behind the hub's back

        let byActor = try await hub.logEntries(AccessLogQuery(actor: "d-3", limit: 100)).map(\.index)
        #expect(byActor == (0..<40).filter { $0 % 7 == 3 })
        let combined = try await hub.logEntries(AccessLogQuery(vin: "VIN1", action: "record.read", decision: .allow, limit: 100)).map(\.index)
        #expect(combined == (0..<40).filter { $0 % 3 == 1 && !$0.isMultiple(of: 2) && !$0.isMultiple(of: 5) })

        let firstPage = try await hub.logEntries(AccessLogQuery(actor: "d-0", limit: 4)).map(\.index)
        let nextPage = try await hub.logEntries(AccessLogQuery(actor: "d-0", after: firstPage.last, limit: 100)).map(\.index)
        #expect(firstPage.count == 4)
        #expect(firstPage + nextPage == (0..<40).filter { $0 % 7 == 0 })
        #expect(try await hub.logEntries(AccessLogQuery(after: 34, limit: 100)).map(\.index) == Array(35..<40))
    }
}

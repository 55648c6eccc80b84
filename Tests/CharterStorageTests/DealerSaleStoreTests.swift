import CharterCore
@testable import CharterStorage
import CharterTestSupport
import Foundation
import GRDB
import Testing

/// The sale of dealerships and the custody of their records in SQLite (C6–C8): one transaction per
/// change, a history that is never rewritten, and custody as part of the directory.
extension SQLiteHubStoreTests {
    func sale(_ store: SQLiteHubStore, _ action: SaleAction, _ dealer: String = "d-1") async throws -> SaleOutcome {
        try await store.applySale(action, dealer: dealer, by: "test", at: Date()) { _ in [] }
    }

    @Test func concurrentConclusionsOfOneSaleApplyOnce() async throws {
        try await withStore { store in
            try await seedDealer(store)
            _ = try await sale(store, .open(SaleBuyer(name: "B", networkMember: false)))
            let outcomes = try await withThrowingTaskGroup(of: SaleOutcome.self) { group in
                for _ in 0..<4 { group.addTask { try await self.sale(store, .conclude) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .moved = $0 { true } else { false } }.count == 1)
            let standing = try #require(try await store.dealerStanding(id: "d-1"))
            #expect(standing.status == .soldOutOfNetwork)
            #expect(standing.history.map(\.action) == ["open", "conclude"])
            #expect(try await store.loadDirectory().members["d-1"]?.saleStatus == .soldOutOfNetwork)
        }
    }

    @Test func saleHistoryIsNeverRewrittenAndCustodyMovesTheDirectory() async throws {
        try await withStore { store in
            try await seedDealer(store)
            try await seedDealer(store, "d-2")
            _ = try await sale(store, .open(SaleBuyer(name: "B", networkMember: false)))
            _ = try await sale(store, .conclude)
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "UPDATE dealer_sale_transitions SET to_status = 'active'") }
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "DELETE FROM dealer_sale_transitions") }

            let before = try await store.directoryRevision()
            let outcome = try await store.transfer(from: "d-1", to: "d-2", by: "brand", at: Date()) { _ in [] }
            guard case .transferred(let custody) = outcome else { Issue.record("expected a transfer, got \(outcome)"); return }
            #expect(custody.recordCount == 0)
            #expect(try await store.directoryRevision() > before)
            #expect(try await store.loadDirectory().custodians["d-1"] == "d-2")
            #expect(try await store.dealerStanding(id: "d-2")?.custodianOf.map(\.dealer) == ["d-1"])
        }
    }

    @Test func upgradingFromVersionThreeLeavesEveryDealershipActive() async throws {
        try await withUpgradedStore(from: "v3-record-versions-and-extractions", seed: """
            INSERT INTO dealer_groups VALUES ('g', 'G', 't');
            INSERT INTO members (id, kind, group_id, name, status, created_at) VALUES ('d-1', 'dealer', 'g', 'D', 'active', 't');
            """) { store async throws in
            #expect(try await store.loadDirectory().members["d-1"]?.saleStatus == .active)
            #expect(try await store.dealerStanding(id: "d-1")?.history.isEmpty == true)
            #expect(throws: (any Error).self) { _ = try SQLiteShell.run(store.path, "UPDATE members SET sale_status = 'sold' WHERE id = 'd-1'") }
        }
    }
}

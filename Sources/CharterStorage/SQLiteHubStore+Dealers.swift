import CharterCore
import Foundation
import GRDB

/// The sale of dealerships and the custody of their records (C6–C8). Each change reads the current state,
/// applies the core's rule and appends its log entries in one write transaction, so two concurrent
/// requests cannot both conclude a sale or transfer the same records twice.
extension SQLiteHubStore {
    /// The columns `custody(_:)` reads.
    static let custodyColumns = "dealer_id, custodian_id, record_count, transferred_by, transferred_at"

    static func custody(_ row: Row) -> Custody {
        Custody(
            dealer: row["dealer_id"], custodian: row["custodian_id"], recordCount: row["record_count"],
            transferredBy: row["transferred_by"], transferredAt: row["transferred_at"]
        )
    }

    public func dealerStanding(id: String) async throws -> DealerStanding? {
        try await pool.read { db in
            guard let dealer = try Self.dealer(id, in: db), let group = dealer.group else { return nil }
            let history = try Self.transitions(of: id, in: db)
            return DealerStanding(
                id: dealer.id, name: dealer.name, group: group, membership: dealer.status, status: dealer.saleStatus,
                pendingSale: dealer.saleStatus == .salePending ? history.last?.buyer : nil, history: history,
                custody: try Row.fetchOne(db, sql: "SELECT \(Self.custodyColumns) FROM custodies WHERE dealer_id = ?", arguments: [id]).map(Self.custody),
                custodianOf: try Row.fetchAll(
                    db, sql: "SELECT \(Self.custodyColumns) FROM custodies WHERE custodian_id = ? ORDER BY transferred_at, dealer_id", arguments: [id]
                ).map(Self.custody)
            )
        }
    }

    public func applySale(
        _ action: SaleAction, dealer id: String, by actor: String, at date: Date, log: @Sendable (SaleOutcome) -> [AccessLogEntry]
    ) async throws -> SaleOutcome {
        try await pool.write { db in
            let outcome: SaleOutcome
            if let dealer = try Self.dealer(id, in: db) {
                let pendingBuyer = dealer.saleStatus == .salePending ? try Self.transitions(of: id, in: db).last?.buyer : nil
                let step = try SaleLifecycle.step(action, dealer: dealer, pendingBuyer: pendingBuyer) { group in
                    try Self.exists(db, "SELECT 1 FROM dealer_groups WHERE id = ?", [group])
                }
                switch step {
                case .move(let status, let group):
                    var buyer: SaleBuyer?
                    if case .open(let named) = action { buyer = named }
                    let transition = SaleTransition(
                        action: action.name, from: dealer.saleStatus, to: status, group: group, buyer: buyer, by: actor, at: Timestamp.string(date)
                    )
                    try db.execute(sql: "UPDATE members SET sale_status = ?, group_id = ? WHERE id = ?", arguments: [status.rawValue, group, id])
                    try db.execute(
                        sql: """
                            INSERT INTO dealer_sale_transitions (dealer_id, action, from_status, to_status, group_id, buyer, actor, at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            id, transition.action, transition.from.rawValue, status.rawValue, group,
                            try buyer.map { String(decoding: try Self.buyerEncoder.encode($0), as: UTF8.self) }, actor, transition.at,
                        ]
                    )
                    outcome = .moved(transition)
                case .refuse(let refusal):
                    outcome = .refused(refusal)
                }
            } else {
                outcome = .notFound
            }
            try self.appendLog(log(outcome), in: db)
            return outcome
        }
    }

    public func transfer(
        from: String, to: String, by actor: String, at date: Date, log: @Sendable (TransferOutcome) -> [AccessLogEntry]
    ) async throws -> TransferOutcome {
        try await pool.write { db in
            let existing = try Row.fetchOne(db, sql: "SELECT \(Self.custodyColumns) FROM custodies WHERE dealer_id = ?", arguments: [from])
                .map(Self.custody)
            let decision = CustodyTransfer.decide(
                fromID: from, toID: to, from: try Self.dealer(from, in: db), to: try Self.dealer(to, in: db), existing: existing
            )
            let outcome: TransferOutcome
            switch decision {
            case .allow:
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE entered_by = ?", arguments: [from]) ?? 0
                let custody = Custody(dealer: from, custodian: to, recordCount: count, transferredBy: actor, transferredAt: Timestamp.string(date))
                try db.execute(
                    sql: "INSERT INTO custodies (\(Self.custodyColumns)) VALUES (?, ?, ?, ?, ?)",
                    arguments: [from, to, count, actor, custody.transferredAt]
                )
                outcome = .transferred(custody)
            case .replay(let custody):
                outcome = .replayed(custody)
            case .refuse(let refusal):
                outcome = .refused(refusal)
            }
            try self.appendLog(log(outcome), in: db)
            return outcome
        }
    }

    /// The member `id` if it is a dealership.
    private static func dealer(_ id: String, in db: Database) throws -> Member? {
        try Row.fetchOne(db, sql: "SELECT \(memberColumns) FROM members WHERE id = ? AND kind = 'dealer'", arguments: [id]).map(member)
    }

    private static func transitions(of id: String, in db: Database) throws -> [SaleTransition] {
        try Row.fetchAll(
            db, sql: "SELECT action, from_status, to_status, group_id, buyer, actor, at FROM dealer_sale_transitions WHERE dealer_id = ? ORDER BY seq",
            arguments: [id]
        ).map { row in
            let from: String = row["from_status"], to: String = row["to_status"]
            guard let fromStatus = SaleStatus(rawValue: from), let toStatus = SaleStatus(rawValue: to) else {
                throw StorageError(.corrupt, "a sale transition of \(id) names status '\(from)' or '\(to)' the hub does not know")
            }
            let buyer = try (row["buyer"] as String?).map { try JSONDecoder().decode(SaleBuyer.self, from: Data($0.utf8)) }
            return SaleTransition(
                action: row["action"], from: fromStatus, to: toStatus, group: row["group_id"], buyer: buyer, by: row["actor"], at: row["at"]
            )
        }
    }

    private static let buyerEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

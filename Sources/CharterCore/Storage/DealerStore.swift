import Foundation

/// Where the sale of dealerships and the custody of their records live (C6–C8). Each change runs in one
/// transaction that reads the current state, applies the core's rule, and appends its log entries.
public protocol DealerStore: Sendable {
    /// A dealership's sale status, history and custody; nil when no dealership has that id.
    func dealerStanding(id: String) async throws -> DealerStanding?
    /// Applies `action` to dealership `dealer` on behalf of `actor`, following `SaleLifecycle`.
    /// `log` turns the outcome into entries appended in the same transaction.
    func applySale(
        _ action: SaleAction, dealer: String, by actor: String, at date: Date, log: @Sendable (SaleOutcome) -> [AccessLogEntry]
    ) async throws -> SaleOutcome
    /// Makes `to` the custodian of every record `from` entered, following `CustodyTransfer`.
    /// `log` turns the outcome into entries appended in the same transaction.
    func transfer(
        from: String, to: String, by actor: String, at date: Date, log: @Sendable (TransferOutcome) -> [AccessLogEntry]
    ) async throws -> TransferOutcome
}

/// What became of a sale action.
public enum SaleOutcome: Sendable, Hashable {
    case moved(SaleTransition)
    /// The lifecycle refused it; nothing changed.
    case refused(SaleLifecycle.Refusal)
    /// No dealership has that id.
    case notFound
}

/// What became of a transfer.
public enum TransferOutcome: Sendable, Hashable {
    case transferred(Custody)
    /// The same transfer was recorded before.
    case replayed(Custody)
    /// Refused by `CustodyTransfer`; nothing changed.
    case refused(CustodyTransfer.Refusal)
}

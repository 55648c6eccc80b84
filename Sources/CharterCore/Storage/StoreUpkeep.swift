/// Work a store does between writes rather than inside them, so that no request waits for it. For SQLite
/// this is copying the write-ahead log back into the database file, which otherwise falls on whichever
/// commit finds the log long, and puts a commit's p99 at about 4.5× its median (BENCHMARKS.md).
public protocol StoreUpkeep: Sendable {
    /// Does one round of upkeep. Returns whether there was anything to do, so that the caller can wait
    /// longer between rounds while the hub is idle.
    func upkeep() async throws -> Bool
}

import CharterCore
import CharterStorage

extension SQLiteHubStore {
    /// Benchmark set-up: inserts the records `records` makes for each of `units`, about 10,000 to a write
    /// transaction as the batch endpoint does, without access-log entries.
    func seed(_ units: Range<Int>, records: (Int) throws -> [StoredRecord]) async throws {
        var batch: [StoredRecord] = []
        batch.reserveCapacity(10_100)
        for unit in units {
            batch += try records(unit)
            if batch.count >= 10_000 || unit == units.upperBound - 1 {
                _ = try await insert(batch, log: { _ in [] })
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
}

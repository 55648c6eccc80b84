import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file from a connection of its own, off the writer.
///
/// SQLite's own checkpoint runs inside the commit that finds the log past 1,000 pages, so that commit, and
/// every request waiting on it, pays for copying the pages and syncing the file. Copying most of them
/// beforehand, passively (never waiting on the writer or on a reader), leaves that commit little to do.
/// The writer's own checkpoint stays: only a checkpoint that catches up with the log lets the next commit
/// start the log over, and a passive one beside a busy writer never quite does. With the writer's turned
/// off (a trial), the log grew without end and every commit slowed.
final class WALCheckpointer: Sendable {
    /// How far a round found the log: its length in pages, and how many are copied into the file.
    private struct Progress: Equatable {
        let frames: Int
        let copied: Int
    }

    private struct State {
        /// Opened on the first round, so that a store that never runs upkeep (the CLI's) opens no more.
        var connection: DatabaseQueue?
        var last: Progress?
    }

    private let path: String
    private let state = Mutex(State())

    init(path: String) {
        self.path = path
    }

    /// Copies every page no reader still needs. Returns whether the log had changed since the last round,
    /// or was being checkpointed by the writer: SQLite lets one checkpoint run at a time, and says BUSY to
    /// the other, which then has its work still ahead.
    func checkpoint() async throws -> Bool {
        let connection = try state.withLock { state in
            if let connection = state.connection { return connection }
            var configuration = Configuration()
            configuration.label = "charterhub.wal-checkpoint"
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            state.connection = connection
            return connection
        }
        let result: (walFrameCount: Int, checkpointedFrameCount: Int)
        do {
            result = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return true
        }
        let progress = Progress(frames: result.walFrameCount, copied: result.checkpointedFrameCount)
        return state.withLock { state in
            defer { state.last = progress }
            return progress != state.last
        }
    }
}

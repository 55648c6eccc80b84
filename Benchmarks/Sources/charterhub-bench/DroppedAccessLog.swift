import CharterCore
import CharterServer

/// An access-log sink that drops every entry at once: the benchmark's log-off phase, which measures the hub
/// without the log's hand-off, commit and wait. It exists only in this benchmark target; no production
/// build, flag or public API can put it in front of a hub's requests.
struct DroppedAccessLog: AccessLogSink {
    func append(_ entry: AccessLogEntry) async throws -> Int { 0 }
}

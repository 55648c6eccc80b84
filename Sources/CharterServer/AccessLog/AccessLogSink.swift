import CharterCore

/// Where a request's access-log entries go to become durable before the request releases anything.
///
/// The hub has one sink, its `AccessLogSequencer`. The protocol is package-visible so that the benchmark
/// can measure the hub with no log at all (a sink that only the benchmark target defines): no deployment,
/// flag or public API can put another sink in front of the requests.
package protocol AccessLogSink: Sendable {
    /// Makes `entry` durable and returns its index; a throw means it is not, and the caller releases nothing.
    func append(_ entry: AccessLogEntry) async throws -> Int
}

extension AccessLogSequencer: AccessLogSink {}

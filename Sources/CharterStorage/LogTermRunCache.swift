import Synchronization

/// The terms of the access log's open run, gathered as the store appends, and the sorted terms of the run
/// being written out: what `LogTermIndex.extend` would otherwise read back from the entries and sort when a
/// run completes, holding the writer for about 2 ms (BENCHMARKS.md), and once only rather than at every
/// append that writes a slice of the run.
///
/// A complete run's entries never change (the log is append-only), so terms gathered here are right
/// whichever process appended them; entries another process appended are not gathered, and a run they
/// touch is read back from SQLite. Only committed appends are gathered: `committed` is called once the
/// append's transaction commits.
final class LogTermRunCache: Sendable {
    /// The terms of the entries an append adds, `first ..< end`, in log order.
    struct Appended: Sendable {
        let first: Int
        let end: Int
        let terms: [LogTermIndex.TermRow]
    }

    /// The terms of `run`'s entries from its first index up to `next`, in log order.
    private struct Gathered {
        var run: Int
        var next: Int
        var terms: [LogTermIndex.TermRow]
    }

    private struct State {
        var gathered: Gathered?
        /// The sorted terms of the run being written out.
        var writing: (run: Int, terms: [LogTermIndex.TermRow])?
    }

    private let state = Mutex(State())

    /// The sorted terms of the complete `run`, from what is held and what the append under way adds; nil
    /// when they do not cover the run.
    func sortedTerms(of run: Int, appending appended: Appended) -> [LogTermIndex.TermRow]? {
        state.withLock { state in
            if let writing = state.writing, writing.run == run { return writing.terms }
            let indices = run * LogTermIndex.runSize..<(run + 1) * LogTermIndex.runSize
            guard appended.end >= indices.upperBound, let held = Self.held(state.gathered, in: indices, before: appended.first) else { return nil }
            return (held + appended.terms.filter { indices.contains(Int($0.index)) }).sorted()
        }
    }

    /// Gathers a committed append's terms for the run it leaves open, and holds the run `extend` left
    /// partly written (nil when it left none). The gathered terms grow in place: copying them at every
    /// commit would move up to a whole run's terms each time.
    func committed(_ appended: Appended, writing: (run: Int, terms: [LogTermIndex.TermRow])?) {
        state.withLock { state in
            let run = appended.end / LogTermIndex.runSize
            let start = run * LogTermIndex.runSize
            let added = appended.terms.drop(while: { $0.index < start })
            if appended.first <= start {
                state.gathered = Gathered(run: run, next: appended.end, terms: Array(added))
            } else if var gathered = state.gathered.take(), gathered.run == run, gathered.next == appended.first {
                gathered.terms += added
                gathered.next = appended.end
                state.gathered = gathered
            }
            state.writing = writing
        }
    }

    /// The gathered terms of the run of `indices` below `first`: none are needed when `first` is at or
    /// before the run's start; otherwise only terms gathered up to `first`, without a gap, will do.
    private static func held(_ gathered: Gathered?, in indices: Range<Int>, before first: Int) -> [LogTermIndex.TermRow]? {
        if first <= indices.lowerBound { return [] }
        guard let gathered, gathered.run * LogTermIndex.runSize == indices.lowerBound, gathered.next == first else { return nil }
        return gathered.terms
    }
}

import Foundation

/// Runs the built `charterhub` executable, which `swift test` builds beside the test bundle.
public enum CommandLineTool {
    /// What a run printed and how it ended.
    public struct Result: Sendable {
        public let exitCode: Int32
        public let output: String
    }

    /// The executable next to the running test bundle.
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("charterhub")
    }

    /// Runs `charterhub arguments…`, standard output and error together, bounded to 60 seconds.
    public static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = DispatchTime.now() + .seconds(60)
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: deadline)
        timer.setEventHandler { if process.isRunning { process.terminate() } }
        timer.resume()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return Result(exitCode: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

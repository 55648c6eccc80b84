import Foundation

/// Runs the system `curl`, a client the hub did not write, against a live hub.
public enum Curl {
    /// What curl reported: its exit code, the HTTP status (0 when no response came) and the body.
    public struct Result: Sendable {
        public let exitCode: Int32
        public let status: Int
        public let body: String
    }

    /// Runs `curl -s` with `arguments`, bounded to `maxSeconds`.
    public static func run(_ arguments: [String], maxSeconds: Int = 10) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "--max-time", String(maxSeconds), "-w", "\n%{http_code}"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        let status = Int(lines.popLast() ?? "") ?? 0
        return Result(exitCode: process.terminationStatus, status: status, body: lines.joined(separator: "\n"))
    }
}

import Foundation

/// Runs programs for the tests: the monarch binary and the tools that read what it makes
/// (poppler, qpdf, mutool, unzip, gzip, python3). One runner for every test target, so that
/// each reads standard output and standard error without the deadlock of reading one pipe to
/// its end while the other fills.
public enum Command {
    public struct Result: Sendable {
        /// The process's id, as it was while it ran.
        public let processIdentifier: Int32
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
        public var out: String { String(decoding: stdout, as: UTF8.self) }
        public var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `executable` with `arguments`, the environment changed by `environment` (a nil
    /// value removes a variable), `input` on standard input, in `folder`; waits for its end.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:],
                           input: Data? = nil, in folder: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe(), err = Pipe(), feed = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : feed
        try process.run()
        let errors = Collected()
        let reader = Thread { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        if let input {
            feed.fileHandleForWriting.write(input)
            try feed.fileHandleForWriting.close()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(processIdentifier: process.processIdentifier, status: process.terminationStatus,
                      stdout: output, stderr: errors.wait())
    }

    /// A tool from PATH; its standard output, or a failure with its standard error.
    @discardableResult
    public static func tool(_ name: String, _ arguments: [String], allowFailure: Bool = false) throws -> String {
        let result = try run("/usr/bin/env", [name] + arguments)
        if result.status != 0 && !allowFailure {
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) exited \(result.status): \(result.err)")
        }
        return result.out
    }
}

/// The other pipe's bytes, handed from its reading thread.
private final class Collected: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    func set(_ value: Data) {
        data = value
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

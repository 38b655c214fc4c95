import Foundation
import MonarchCore
#if canImport(Glibc)
import Glibc
#endif

/// Pamphlets printed by several processes at once, when `MONARCH_PRINT_PROCESSES` asks for
/// more than one: `monarch build` then starts helper processes — the same executable,
/// `monarch print-worker` — and each prints its share. By default a build prints in its own
/// process, on every core (a render per `FontSession`), which costs less than loading the
/// site again in another process; workers remain for keeping each process's memory small.
///
/// Every process lists the same jobs from the same site and deals them out the same way
/// (largest first, each to the least loaded share), so no job list is sent between them. A
/// worker writes its PDFs and its diagnostics into a private folder that the build reads
/// and removes; a worker that fails or cannot start has its share printed by the build
/// itself, so the PDFs never depend on the workers. A PDF's bytes do not depend on which
/// process printed it.
public struct PrintWorkers: Sendable {
    /// The monarch executable to start workers from.
    public var executable: URL
    /// Processes in all, the build's own included.
    public var count: Int

    public init(executable: URL, count: Int) {
        self.executable = executable
        self.count = count
    }

    /// `MONARCH_PRINT_PROCESSES` processes, else one (this one, printing on every core).
    public static func forThisMachine(executable: URL) -> PrintWorkers {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["MONARCH_PRINT_PROCESSES"].flatMap(Int.init) ?? 1
        return PrintWorkers(executable: executable, count: max(1, min(count, 16)))
    }

    /// Which share of `costs.count` jobs each job belongs to: largest first, each to the share
    /// with the least work so far (ties: the lower share).
    static func shares(costs: [Int], count: Int) -> [Int] {
        var load = [Int](repeating: 0, count: max(count, 1))
        var share = [Int](repeating: 0, count: costs.count)
        for job in costs.indices.sorted(by: { (costs[$0], $1) > (costs[$1], $0) }) {
            let least = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            share[job] = least
            load[least] += max(costs[job], 1)
        }
        return share
    }

    /// What a worker leaves in its folder besides the PDFs.
    struct Manifest: Codable {
        struct File: Codable {
            var path: String
            var file: String
        }
        var files: [File]
        var diagnostics: [Diagnostic]
    }

    static let manifestName = "manifest.json"

    /// Writes a worker's result into `folder`.
    public static func writeResult(_ files: [(path: String, data: Data)], diagnostics: [Diagnostic], into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var manifest = Manifest(files: [], diagnostics: diagnostics)
        for (i, file) in files.enumerated() {
            let name = "\(i).pdf"
            try AtomicFile.write(file.data, to: folder.appendingPathComponent(name).path)
            manifest.files.append(.init(path: file.path, file: name))
        }
        try AtomicFile.write(try JSONEncoder().encode(manifest), to: folder.appendingPathComponent(manifestName).path)
    }

    /// A started worker.
    final class Running {
        let process: Process
        let folder: URL
        let share: Int

        init(process: Process, folder: URL, share: Int) {
            self.process = process
            self.folder = folder
            self.share = share
        }

        /// Its PDFs and diagnostics; nil when it failed.
        func result() -> (files: [(path: String, data: Data)], diagnostics: [Diagnostic])? {
            process.waitUntilExit()
            guard process.terminationReason == .exit, process.terminationStatus == 0,
                  let data = try? Data(contentsOf: folder.appendingPathComponent(PrintWorkers.manifestName)),
                  let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
            var files: [(path: String, data: Data)] = []
            for file in manifest.files {
                guard let bytes = try? Data(contentsOf: folder.appendingPathComponent(file.file)) else { return nil }
                files.append((file.path, bytes))
            }
            return (files, manifest.diagnostics)
        }
    }

    /// Starts the worker for `share`, writing into a new folder under `parent`; nil when it
    /// cannot be started.
    func start(share: Int, siteFolder: URL, builtIn: URL?, parent: URL) -> Running? {
        let folder = parent.appendingPathComponent("share-\(share)")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["print-worker", "--site", siteFolder.path, "--share", "\(share)", "--of", "\(count)",
                             "--into", folder.path]
        var environment = ProcessInfo.processInfo.environment
        if let builtIn { environment["MONARCH_HOME"] = builtIn.path }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        return Running(process: process, folder: folder, share: share)
    }

    /// A private folder for the workers' results: `monarch-print-<pid>-<uuid>` in the
    /// temporary folder. Folders of builds that were killed (their process is gone) are removed.
    static func scratchFolder() -> URL {
        let parent = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix("monarch-print-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[2]), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
        return parent.appendingPathComponent("monarch-print-\(getpid())-\(UUID().uuidString)")
    }

    /// Makes this process die with the build that started it, so that a killed build leaves
    /// no worker printing on.
    public static func dieWithParent() {
        #if os(Linux)
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        if let symbol = dlsym(nil, "prctl") {
            let PR_SET_PDEATHSIG: Int32 = 1
            _ = unsafeBitCast(symbol, to: Prctl.self)(PR_SET_PDEATHSIG, UInt(SIGKILL), 0, 0, 0)
        }
        #endif
    }
}

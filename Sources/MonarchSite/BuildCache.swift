import Foundation
import MonarchContent
import MonarchCore
#if canImport(Glibc)
import Glibc
#endif

/// `monarch build`'s cache (issue #7): when not one input byte changed since the last
/// successful build into the same output folder, and that output is still exactly as the
/// build left it, the build is already done.
///
/// The key is the SHA-256 of every input: the path and bytes of `site.yaml` and of every
/// file under `content/`, `templates/`, `translations/` and `static/` (with what listing them
/// reported, such as a symbolic link leading out of the site), the built-in theme's files,
/// the build's options, `SOURCE_DATE_EPOCH`, the monarch executable (path, size, time) and
/// the installed fonts and packages (paths, sizes and times under the font folders, and
/// dpkg's status file), which pamphlets depend on. The record sits beside the output folder
/// (`.public.monarch-cache` for `public/`), never inside it; with the key it keeps the size,
/// time and inode of every output file, the build's diagnostics (shown again, so a cached
/// build warns as the full one did) and its counts. Any difference means a full build.
struct BuildCache {
    let file: URL

    init(outputFolder: URL) {
        let output = outputFolder.standardizedFileURL
        file = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).monarch-cache")
    }

    struct Message: Codable {
        var severity: String
        var path: String
        var line: Int?
        var column: Int?
        var message: String
    }

    struct Record: Codable {
        var version = 2
        var input: String
        /// `stamps(of:)` of the output as the build left it.
        var outputs: String
        var diagnostics: [Message]
        var pages: Int
        var languages: Int
        var pamphlets: Int
        var files: Int
    }

    func load() -> Record? {
        guard let data = try? Data(contentsOf: file),
              let record = try? JSONDecoder().decode(Record.self, from: data), record.version == 2 else { return nil }
        return record
    }

    /// Written whole and renamed into place; a cache that cannot be written is no error.
    func save(_ record: Record) {
        guard let data = try? JSONEncoder().encode(record) else { return }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid())")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: file)
    }

    /// The size, time and inode of every file in the output folder, sorted by path, a line
    /// each (`path size seconds.nanoseconds inode`). One string, not an object per file: the
    /// record of 5,000 pages then decodes in a fraction of the time.
    static func stamps(of output: URL) -> String {
        var text = ""
        for (path, info) in FileList.regularFiles(in: output) {
            text += "\(path)\t\(info.st_size)\t\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\t\(info.st_ino)\n"
        }
        return text
    }

    /// Whether the output folder holds what `record` says the build left there, and whether
    /// nothing the build reads changed since (the key, worked out at the same time as the
    /// output's stamps: the two walks take about as long as each other).
    static func inputKeyAndCheck(siteFolder: URL, builtIn: URL?, options: String, output: URL,
                                 record: Record?) -> (key: String, unchanged: Bool) {
        nonisolated(unsafe) var key = ""
        nonisolated(unsafe) var stamps = ""
        DispatchQueue.concurrentPerform(iterations: record == nil ? 1 : 2) { part in
            if part == 0 {
                key = inputKey(siteFolder: siteFolder, builtIn: builtIn, options: options)
            } else {
                stamps = self.stamps(of: output)
            }
        }
        guard let record else { return (key, false) }
        return (key, record.input == key && record.outputs == stamps)
    }

    /// The key: everything the build reads (see the type's comment).
    static func inputKey(siteFolder: URL, builtIn: URL?, options: String) -> String {
        var digest = InputDigest()
        digest.add("monarch build cache 1")
        digest.add(options)
        digest.add(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] ?? "")
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        digest.add(executable + " " + stampText(executable))
        digest.add("/var/lib/dpkg/status " + stampText("/var/lib/dpkg/status"))
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        for folder in ["/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", home + "/.fonts", home + "/.local/share/fonts"] {
            for (path, info) in FileList.regularFiles(in: URL(fileURLWithPath: folder)) {
                digest.add(path + " \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
            }
        }
        if let builtIn {
            digest.add("built-in " + builtIn.standardizedFileURL.path)
            for folder in ["templates", "translations"] {
                add(folder: builtIn.appendingPathComponent(folder), site: nil, name: "<built-in>/" + folder, to: &digest)
            }
        }
        digest.add("site " + siteFolder.standardizedFileURL.path)
        let config = siteFolder.appendingPathComponent("site.yaml")
        digest.add("site.yaml")
        digest.add((try? Data(contentsOf: config)) ?? Data("no site.yaml".utf8))
        for folder in ["content", "templates", "translations", "static"] {
            add(folder: siteFolder.appendingPathComponent(folder), site: siteFolder, name: folder, to: &digest)
        }
        return digest.hex()
    }

    private static func add(folder: URL, site: URL?, name: String, to digest: inout InputDigest) {
        var isDirectory: ObjCBool = false
        digest.add(name + (FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory)
                           ? (isDirectory.boolValue ? " folder" : " file") : " absent"))
        let listing = DiagnosticsEngine()
        let base = folder.standardizedFileURL.path + "/"
        for path in FileList.files(in: folder, site: site, display: name, diagnostics: listing) {
            digest.add(name + "/" + path)
            digest.add(FileManager.default.contents(atPath: base + path) ?? Data("unreadable".utf8))
        }
        for diagnostic in listing.diagnostics { digest.add(diagnostic.description) }
    }

    private static func stampText(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "absent" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}

extension BuildCache.Message {
    init(_ diagnostic: Diagnostic) {
        self.init(severity: diagnostic.severity.rawValue, path: diagnostic.location.path,
                  line: diagnostic.location.line, column: diagnostic.location.column, message: diagnostic.message)
    }

    var diagnostic: Diagnostic? {
        guard let severity = Diagnostic.Severity(rawValue: severity) else { return nil }
        return Diagnostic(severity, SourceLocation(path: path, line: line, column: column), message)
    }
}

import Foundation
import MonarchContent
import MonarchCore
#if canImport(Glibc)
import Glibc
#endif

/// `monarch build`'s cache (issue #7): when not one input byte changed since the last
/// successful build into the same output folder, and that output is still exactly as the
/// build left it, the build is already done; when only the bodies of some pages changed,
/// `SiteBuilder.planQuickRebuild` renders just the outputs that show them.
///
/// The key is the SHA-256 of every input but the pages: the path and bytes of `site.yaml` and
/// of every file under `content/` (pages by path only), `templates/`, `translations/` and
/// `static/` (with what listing them reported, such as a symbolic link leading out of the
/// site), the built-in theme's files, the build's options, `SOURCE_DATE_EPOCH`, the monarch
/// executable (path, size, time) and the installed fonts and packages (paths, sizes and times
/// under the font folders, and dpkg's status file), which pamphlets depend on.
///
/// Pages are keyed by the SHA-256 of their text too (`Page.sourceDigest`, in each page's
/// `PageSummary`), found the way git finds a changed file: a page whose size, modification
/// and change times, inode and device are those recorded has the recorded digest; any
/// other is read and hashed again. The change time cannot be set back by any program (only
/// by setting the clock), and a page changed within 2 s of the stat that recorded it (when
/// a second write could fall in the same clock tick) is recorded without a stamp, so that it
/// is always read again: this is git's "racy clean" rule.
///
/// The record sits beside the output folder (`.public.monarch-cache` for `public/`), never
/// inside it; with the keys it keeps the size, time and inode of every output file, the
/// build's diagnostics (shown again, so a cached build warns as the full one did), its
/// counts, every page's summary and every page's entry in the search index.
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

    /// A Markdown file under content/ as the last build read it.
    struct Source: Equatable {
        var path: String
        /// `stamp(_:trustedBefore:)` when it was listed; "" when that was too recent to be trusted.
        var stamp: String { didSet { if stamp != oldValue { line = nil } } }
        /// nil for a file that is not a page of the output (a draft, a file outside a
        /// language folder): a change to it means a full build.
        var summary: PageSummary? { didSet { line = nil } }
        /// The record's line for this file, while neither field changed (written out again as
        /// it is).
        var line: Substring?

        init(path: String, stamp: String, summary: PageSummary?, line: Substring? = nil) {
            self.path = path
            self.stamp = stamp
            self.summary = summary
            self.line = line
        }
    }

    struct Record {
        /// `Scan.key`: every input but the pages' bytes.
        var input: String
        /// `stamps(of:)` of the output as the build left it.
        var outputs: String
        var diagnostics: [Message]
        var pages: Int
        var languages: Int
        var pamphlets: Int
        var files: Int
        /// Every Markdown file under content/, sorted by path (`BuildCacheText`).
        var sources: String
        /// Every page's entry in its language's search index: output file, digest, JSON
        /// (`BuildCacheText`).
        var search: String
    }

    /// The record's small fields, as JSON; the three long texts follow it as they are (JSON
    /// would escape every non-ASCII letter and take longer to read than the rest of a
    /// one-page rebuild).
    private struct Header: Codable {
        var version = 3
        var input: String
        var diagnostics: [Message]
        var pages: Int
        var languages: Int
        var pamphlets: Int
        var files: Int
        /// Byte counts of `outputs`, `sources` and `search`, which follow in that order.
        var lengths: [Int]
    }

    func load() -> Record? {
        guard let data = try? Data(contentsOf: file, options: .mappedIfSafe),
              let newline = data.firstIndex(of: UInt8(ascii: "\n")),
              let header = try? JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline]),
              header.version == 3, header.lengths.count == 3, header.lengths.allSatisfy({ $0 >= 0 }) else { return nil }
        var texts: [String] = []
        var start = newline + 1
        for length in header.lengths {
            guard start + length <= data.endIndex else { return nil }
            guard let text = String(data: data[start..<(start + length)], encoding: .utf8) else { return nil }
            texts.append(text)
            start += length
        }
        guard start == data.endIndex else { return nil }
        return Record(input: header.input, outputs: texts[0], diagnostics: header.diagnostics, pages: header.pages,
                      languages: header.languages, pamphlets: header.pamphlets, files: header.files,
                      sources: texts[1], search: texts[2])
    }

    /// Written whole and renamed into place; a cache that cannot be written is no error.
    func save(_ record: Record) {
        let texts = [record.outputs, record.sources, record.search]
        let header = Header(input: record.input, diagnostics: record.diagnostics, pages: record.pages,
                            languages: record.languages, pamphlets: record.pamphlets, files: record.files,
                            lengths: texts.map(\.utf8.count))
        guard var data = try? JSONEncoder().encode(header) else { return }
        data.append(UInt8(ascii: "\n"))
        for text in texts { data.append(contentsOf: text.utf8) }
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

    /// The size, time and inode of every file in the output folder, a line each (`path size
    /// seconds.nanoseconds inode`): the files at the top, then each top folder's, each part
    /// sorted by path. One string, not an object per file: the record of 5,000 pages then
    /// reads in a fraction of the time. The top folders are walked on every core.
    static func stamps(of output: URL) -> String {
        let (top, folders) = topOfOutput(output)
        return top + ParallelMap.map(folders) { stampLines(of: output, folder: $0) }.joined()
    }

    /// The stamp lines of the files at the top of the output, and its top folders, by name.
    private static func topOfOutput(_ output: URL) -> (lines: String, folders: [String]) {
        var lines = ""
        var folders: [String] = []
        let base = output.standardizedFileURL.path
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted() where !name.hasPrefix(".") {
            var info = stat()
            guard lstat(base + "/" + name, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: folders.append(name)
            case S_IFREG: lines += stampLine(name, info)
            default: continue
            }
        }
        return (lines, folders)
    }

    private static func stampLines(of output: URL, folder: String) -> String {
        var text = ""
        for (path, info) in FileList.regularFiles(in: output.appendingPathComponent(folder)) {
            text += stampLine(folder + "/" + path, info)
        }
        return text
    }

    private static func stampLine(_ path: String, _ info: stat) -> String {
        "\(path)\t\(info.st_size)\t\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\t\(info.st_ino)\n"
    }

    /// `outputs` with the stamps of `files` taken again (files the build has just replaced:
    /// the same paths, so the order holds), without walking the whole output again.
    static func restamp(_ outputs: String, files: Set<String>, in output: URL) -> String {
        var text = ""
        text.reserveCapacity(outputs.utf8.count)
        let base = output.standardizedFileURL.path + "/"
        for line in outputs.utf8.split(separator: UInt8(ascii: "\n")) {
            let path = String(Substring(line.prefix { $0 != UInt8(ascii: "\t") }))
            var info = stat()
            if files.contains(path), lstat(base + path, &info) == 0 {
                text += stampLine(path, info)
            } else {
                text += Substring(line) + "\n"
            }
        }
        return text
    }

    /// What a build finds before it reads anything: the key of its inputs, the stamp of each
    /// page, the listing of content/ and (with a record to compare with) the output's stamps.
    struct Scan: Sendable {
        var key: String
        /// `content/<...>.md` -> `stamp`, or "" for a file changed too recently to trust it.
        var sources: [String: String]
        /// content/'s files, relative to content/ (the assets are the ones not ending in .md).
        var contentFiles: [String]
        var outputs: String
    }

    /// The key and stamps (see the type's comment), worked out at the same time as the
    /// output's stamps when there is a record to compare them with (the output has twice the
    /// files, and `alongside` runs after the key on the same core).
    static func scan(siteFolder: URL, builtIn: URL?, options: String, output: URL, stampOutputs: Bool,
                     alongside: @escaping @Sendable (Scan) -> Void = { _ in }) -> Scan {
        enum Part: Sendable {
            case inputs
            case outputFolder(String)
        }
        enum Found {
            case inputs(Scan)
            case stamps(String)
        }
        let (top, folders) = stampOutputs ? topOfOutput(output) : ("", [])
        let found = ParallelMap.map([Part.inputs] + folders.map(Part.outputFolder)) { part -> Found in
            switch part {
            case .inputs:
                let scan = inputs(siteFolder: siteFolder, builtIn: builtIn, options: options)
                alongside(scan)
                return .inputs(scan)
            case .outputFolder(let folder):
                return .stamps(stampLines(of: output, folder: folder))
            }
        }
        guard case .inputs(var scan) = found[0] else { preconditionFailure("the first part is the inputs") }
        scan.outputs = top + found.dropFirst().map { if case .stamps(let text) = $0 { text } else { "" } }.joined()
        return scan
    }

    /// The key and the pages' stamps: everything the build reads (see the type's comment).
    private static func inputs(siteFolder: URL, builtIn: URL?, options: String) -> Scan {
        var digest = InputDigest()
        digest.add("monarch build cache 2")
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
        // Anything changed after this moment (less 2 s for the file system's coarser clock and
        // for a write in the same tick as the stat) is not trusted by its stamp.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let trustedBefore = now.tv_sec - 2
        var sources: [String: String] = [:]
        var contentFiles: [String] = []
        for folder in ["content", "templates", "translations", "static"] {
            let url = siteFolder.appendingPathComponent(folder)
            let pages = folder == "content"
            let listed = add(folder: url, site: siteFolder, name: folder, to: &digest, skipBytes: pages ? { $0.hasSuffix(".md") } : nil)
            guard pages else { continue }
            contentFiles = listed.map(\.path)
            for (path, info) in listed where path.hasSuffix(".md") {
                sources["content/" + path] = stamp(info, trustedBefore: trustedBefore)
            }
        }
        return Scan(key: digest.hex(), sources: sources, contentFiles: contentFiles, outputs: "")
    }

    /// A file's size, modification and change times, inode and device (`stat`: of the file a
    /// link leads to), or "" when it changed at or after `trustedBefore` (seconds).
    static func stamp(_ info: stat, trustedBefore: Int) -> String {
        guard info.st_mtim.tv_sec < trustedBefore, info.st_ctim.tv_sec < trustedBefore else { return "" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_ino) \(info.st_dev)"
    }

    /// Adds a folder's listing and files to the digest; of a file `skipBytes` accepts, only the
    /// path. Returns the listing.
    @discardableResult
    private static func add(folder: URL, site: URL?, name: String, to digest: inout InputDigest,
                            skipBytes: ((String) -> Bool)? = nil) -> [(path: String, info: stat)] {
        var isDirectory: ObjCBool = false
        digest.add(name + (FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory)
                           ? (isDirectory.boolValue ? " folder" : " file") : " absent"))
        let listing = DiagnosticsEngine()
        let base = folder.standardizedFileURL.path + "/"
        let files = FileList.filesWithInfo(in: folder, site: site, display: name, diagnostics: listing)
        for (path, _) in files {
            digest.add(name + "/" + path)
            if skipBytes?(path) == true { continue }
            digest.add(FileManager.default.contents(atPath: base + path) ?? Data("unreadable".utf8))
        }
        for diagnostic in listing.diagnostics { digest.add(diagnostic.description) }
        return files
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

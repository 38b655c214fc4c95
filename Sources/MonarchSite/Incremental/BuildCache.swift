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

    /// Its small fields are written as JSON (`Header`); the three long texts follow them as
    /// they are (JSON would escape every non-ASCII letter and take longer to read than the
    /// rest of a one-page rebuild).
    struct Record: Codable {
        /// `Scan.key`: every input but the pages' bytes.
        var input: String
        /// `stamps(files:in:)` of the output as the build left it.
        var outputs = ""
        var diagnostics: [Diagnostic]
        var pages: Int
        var languages: Int
        var pamphlets: Int
        var files: Int
        /// Every Markdown file under content/, sorted by path (`BuildCacheText`).
        var sources = ""
        /// Every page's entry in its language's search index: output file, digest, JSON
        /// (`BuildCacheText`).
        var search = ""

        private enum CodingKeys: String, CodingKey {
            case input, diagnostics, pages, languages, pamphlets, files
        }
    }

    /// The first line of the file: the record's small fields, with the format's version and
    /// the byte counts of `outputs`, `sources` and `search`, which follow in that order.
    private struct Header: Codable {
        var version = 3
        var record: Record
        var lengths: [Int]

        private enum CodingKeys: String, CodingKey {
            case version, lengths
        }

        init(record: Record, lengths: [Int]) {
            self.record = record
            self.lengths = lengths
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            version = try container.decode(Int.self, forKey: .version)
            lengths = try container.decode([Int].self, forKey: .lengths)
            record = try Record(from: decoder)
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(lengths, forKey: .lengths)
            try record.encode(to: encoder)
        }
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
        var record = header.record
        (record.outputs, record.sources, record.search) = (texts[0], texts[1], texts[2])
        return record
    }

    /// Written whole and renamed into place; a cache that cannot be written is no error.
    func save(_ record: Record) {
        let texts = [record.outputs, record.sources, record.search]
        let header = Header(record: record, lengths: texts.map(\.utf8.count))
        guard var data = try? JSONEncoder().encode(header) else { return }
        data.append(UInt8(ascii: "\n"))
        for text in texts { data.append(contentsOf: text.utf8) }
        try? AtomicFile.write(data, to: file.path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: file)
    }

    /// The stamps of an output: for every folder (`en/`, the output itself as `./`) and every
    /// file in it, a line `path size seconds.nanoseconds seconds.nanoseconds inode` (size,
    /// modification and change time, inode), sorted by path. One string, not an object per
    /// file: the record of 5,000 pages then reads in a fraction of the time.
    ///
    /// A build knows what it wrote (`paths`: every file; the output holds nothing else, see
    /// `OutputFolder`), and the next build checks the record by taking the stamps of the same
    /// paths again (`stamps(of:in:)`): a changed or replaced file shows in its own line, a file
    /// added or removed anywhere in the line of its folder, whose times change with its entries.
    /// No folder is read: opening and reading the 5,000 folders of a 5 x 1000 site cost more
    /// than all the rest of a one-page rebuild.
    static func stamps(files paths: [String], in output: URL) -> String {
        var entries = Set(paths)
        for path in paths {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard entries.insert(String(folder) + "/").inserted else { break }
            }
        }
        entries.insert("./")
        return stamps(of: entries.sorted(), in: output)
    }

    /// The stamp lines (see `stamps(files:in:)`) of `paths` in this order, taken on every core;
    /// `path -` for one that is not there or not what its name says (a file, or a folder
    /// for a name ending in `/`).
    static func stamps(of paths: [String], in output: URL) -> String {
        let root = open(output.standardizedFileURL.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if root >= 0 { close(root) } }
        let chunk = 2048
        let parts = ParallelMap.map(Array(stride(from: 0, to: paths.count, by: chunk))) { start -> [UInt8] in
            var text: [UInt8] = []
            text.reserveCapacity(chunk * 80)
            for path in paths[start..<min(start + chunk, paths.count)] {
                var info = stat()
                let kind = path.hasSuffix("/") ? S_IFDIR : S_IFREG
                let found = root >= 0 && fstatat(root, path, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == kind
                appendStampLine(path, found ? info : nil, to: &text)
            }
            return text
        }
        return String(decoding: parts.joined(), as: UTF8.self)
    }

    /// `path size mtime ctime inode` (times as seconds.nanoseconds), or `path -`, and a newline;
    /// written as bytes, for 15,000 lines a rebuild.
    private static func appendStampLine(_ path: String, _ info: stat?, to text: inout [UInt8]) {
        text.append(contentsOf: path.utf8)
        guard let info else {
            text.append(contentsOf: "\t-\n".utf8)
            return
        }
        func field(_ value: some BinaryInteger, _ fraction: Int? = nil) {
            text.append(UInt8(ascii: "\t"))
            text.append(contentsOf: String(value).utf8)
            if let fraction {
                text.append(UInt8(ascii: "."))
                text.append(contentsOf: String(fraction).utf8)
            }
        }
        field(info.st_size)
        field(info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
        field(info.st_ctim.tv_sec, info.st_ctim.tv_nsec)
        field(info.st_ino)
        text.append(UInt8(ascii: "\n"))
    }

    /// Calls `line(path, bytes of the whole line without its newline)` for each line of a
    /// record's stamps, in order; on the stored bytes (5 x 1000 pages make 15,000 lines).
    private static func forEachStampLine(_ text: String, _ line: (String, UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            var tab = -1
            for index in 0...bytes.count {
                let end = index == bytes.count
                if !end, bytes[index] == UInt8(ascii: "\t"), tab < 0 { tab = index }
                guard end || bytes[index] == UInt8(ascii: "\n") else { continue }
                if index > start {
                    let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(tab < 0 ? index : tab)]), as: UTF8.self)
                    line(path, UnsafeBufferPointer(rebasing: bytes[start..<index]))
                }
                start = index + 1
                tab = -1
            }
        }
    }

    /// Whether the record beside `output` describes that very folder (its `./` line has the
    /// folder's inode): how an output written before monarch kept `OutputGuard`'s record in
    /// it is still recognised as monarch's own, by a record, not by a guess.
    static func describes(_ output: URL) -> Bool {
        guard let record = BuildCache(outputFolder: output).load() else { return false }
        var info = stat()
        guard lstat(output.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return false }
        var found = false
        forEachStampLine(record.outputs) { path, line in
            guard path == "./" else { return }
            let fields = String(decoding: UnsafeRawBufferPointer(line), as: UTF8.self).split(separator: "\t")
            found = fields.count == 5 && fields[4] == String(info.st_ino)
        }
        return found
    }

    /// The paths of a record's stamp lines, in their order.
    static func paths(ofStamps text: String) -> [String] {
        var paths: [String] = []
        forEachStampLine(text) { path, _ in paths.append(path) }
        return paths
    }

    /// `outputs` with the stamps of `files` and of their folders taken again (files the build
    /// has just replaced, which changed their folders' times: the same paths, so the order
    /// holds).
    static func restamp(_ outputs: String, files: Set<String>, in output: URL) -> String {
        var changed = files
        for path in files {
            if let slash = path.lastIndex(of: "/") { changed.insert(String(path[...slash])) } else { changed.insert("./") }
        }
        let redo = paths(ofStamps: outputs).filter(changed.contains)
        var fresh: [String: [UInt8]] = [:]
        forEachStampLine(stamps(of: redo, in: output)) { path, line in fresh[path] = Array(line) }
        var text: [UInt8] = []
        text.reserveCapacity(outputs.utf8.count + 64)
        forEachStampLine(outputs) { path, line in
            if let new = fresh[path] { text += new } else { text += line }
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
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
    /// stamps of the output's `recorded` paths (the last build's record) when there is a
    /// record to compare with; `alongside` runs after the key on the same core, `beforeStamps`
    /// on the other one before the stamps.
    static func scan(siteFolder: URL, builtIn: URL?, options: String, output: URL, recorded: [String]?,
                     beforeStamps: @escaping @Sendable () -> Void = {},
                     alongside: @escaping @Sendable (Scan) -> Void = { _ in }) -> Scan {
        enum Found {
            case inputs(Scan)
            case stamps(String)
        }
        // The inputs on one core, the output's stamps on the other.
        let found = ParallelMap.map([true] + (recorded == nil ? [] : [false])) { isInputs -> Found in
            if isInputs {
                let scan = inputs(siteFolder: siteFolder, builtIn: builtIn, options: options)
                alongside(scan)
                return .inputs(scan)
            }
            beforeStamps()
            return .stamps(stamps(of: recorded ?? [], in: output))
        }
        guard case .inputs(var scan) = found[0] else { preconditionFailure("the first part is the inputs") }
        if found.count > 1, case .stamps(let text) = found[1] { scan.outputs = text }
        return scan
    }

    /// The key and the pages' stamps: everything the build reads (see the type's comment).
    /// Without `fonts` (the preview, which prints nothing), the installed fonts are left out.
    static func inputs(siteFolder: URL, builtIn: URL?, options: String, fonts: Bool = true) -> Scan {
        var digest = InputDigest()
        digest.add("monarch build cache 3")
        digest.add(options)
        digest.add(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] ?? "")
        // Whether a contact's `checked:` date is too old depends on the day: the first build
        // of a day is a full one, which says so.
        digest.add(BuildDate.today().description)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        digest.add(executable + " " + stampText(executable))
        digest.add("/var/lib/dpkg/status " + stampText("/var/lib/dpkg/status"))
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        for folder in ["/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", home + "/.fonts", home + "/.local/share/fonts"] where fonts {
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
        // Read only as a regular file: a FIFO named site.yaml must not hang the build (the
        // configuration's own reading then says what is wrong).
        var info = stat()
        let regular = stat(config.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        digest.add((regular ? try? Data(contentsOf: config) : nil) ?? Data("no site.yaml".utf8))
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

    /// A file's `FileStamp` (size, times, inode, device), or "" when it changed at or after
    /// `trustedBefore` (seconds).
    static func stamp(_ info: stat, trustedBefore: Int) -> String {
        FileStamp.text(info, trustedBefore: trustedBefore)
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
            digest.addFile(atPath: base + path)
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

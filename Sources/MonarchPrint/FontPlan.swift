import CHarfBuzzSubset
import CPangoCairo
import Foundation

/// Which subsets `PrintFonts.prepare` chose for a set of characters, kept in the subset
/// cache beside them, so that a build whose text and fonts did not change finds its subsets
/// without asking fontconfig anything: loading the installed configuration and matching
/// every family and fallback costs more than printing a one-line pamphlet.
///
/// A plan holds only when nothing that decides fontconfig's choice changed: it is named by
/// the characters and by `systemStamp` (the font folders and configuration files, whose
/// times change when a font is installed or removed and the font cache is updated), and
/// each installed font it names must still have the size, time and inode it had.
struct FontPlan {
    struct Face {
        /// The subset's file name in the cache, and its stamp when the plan was made (a
        /// subset cut short or overwritten since is not used).
        var subset: String
        var subsetStamp: String
        /// The installed font file it was cut from, and that file's stamp then.
        var source: String
        var stamp: String
    }

    var faces: [Face]
    /// The language families found installed (so the pamphlet's font check passes).
    var families: [String]

    static let header = "monarch-font-plan 3"
    /// The last line: a plan that lost lines at its end is not used.
    static let trailer = "end"

    /// The plan's file name for these characters on this system.
    static func name(charactersByTag: [String: Set<UInt32>], system: String = systemStamp()) -> String {
        var text = "\(header)\n\(String(cString: hb_version_string()))\n\(system)\n"
        for tag in charactersByTag.keys.sorted() {
            text += tag + ":" + charactersByTag[tag]!.sorted().map { String($0, radix: 16) }.joined(separator: " ") + "\n"
        }
        return sha256(text) + ".plan"
    }

    /// The plan in `file` if every subset it names is in `folder` and every font it was cut
    /// from is unchanged; nil otherwise.
    static func load(_ file: URL, folder: URL) -> FontPlan? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == header else { return nil }
        lines.removeFirst()
        while lines.last == "" { lines.removeLast() }
        guard lines.last == trailer else { return nil }
        lines.removeLast()
        var plan = FontPlan(faces: [], families: [])
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "family" where fields.count == 2:
                plan.families.append(fields[1])
            case "face" where fields.count == 5:
                let face = Face(subset: fields[1], subsetStamp: fields[2], source: fields[3], stamp: fields[4])
                // Only a subset's own name (a digest): never a path out of the cache folder.
                guard isSubsetName(face.subset), stamp(of: face.source) == face.stamp,
                      stamp(of: folder.appendingPathComponent(face.subset).path) == face.subsetStamp else { return nil }
                plan.faces.append(face)
            default:
                return nil
            }
        }
        return plan.faces.isEmpty ? nil : plan
    }

    /// A subset file's name as `PrintFonts` makes it: 64 hexadecimal digits and `.otf`.
    static func isSubsetName(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        return utf8.count == 68 && name.hasSuffix(".otf")
            && utf8.prefix(64).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The plan as a file's text; nil when a path cannot be written on one line.
    var text: String? {
        var out = Self.header + "\n"
        for family in families {
            guard !family.contains("\t"), !family.contains("\n") else { return nil }
            out += "family\t\(family)\n"
        }
        for face in faces {
            guard !(face.source + face.subset).contains("\t"), !(face.source + face.subset).contains("\n") else { return nil }
            out += "face\t\(face.subset)\t\(face.subsetStamp)\t\(face.source)\t\(face.stamp)\n"
        }
        return out + Self.trailer + "\n"
    }

    /// The subset files a plan's text names (for pruning: a plan in use keeps its subsets).
    static func subsets(named text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return fields.first == "face" && fields.count > 1 ? String(fields[1]) : nil
        }
    }

    /// An installed font file's size, modification time and inode: "" when it is gone.
    static func stamp(of path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }

    /// What decides fontconfig's choices besides the font files themselves: the times of the
    /// configuration files and folders, of the font folders and of the font caches (which the
    /// package manager rewrites when it installs or removes a font), and the variables that
    /// point fontconfig elsewhere.
    static func systemStamp(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"] ?? ""
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache"
        var paths = ["/etc/fonts", "/etc/fonts/conf.d", "/etc/fonts/fonts.conf", "/etc/fonts/local.conf",
                     "/usr/share/fonts", "/usr/local/share/fonts", "/var/cache/fontconfig",
                     config + "/fontconfig", config + "/fontconfig/conf.d", data + "/fonts", cache + "/fontconfig",
                     home + "/.fonts", home + "/.fonts.conf", home + "/.fonts.conf.d"]
        var out = ""
        for name in ["FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"] {
            let value = environment[name] ?? ""
            out += "\(name)=\(value)\n"
            if !value.isEmpty { paths += value.split(separator: ":").map(String.init) }
        }
        // A font copied into a font folder's subfolder changes only that subfolder's time.
        let fontFolders = ["/usr/share/fonts", "/usr/local/share/fonts", data + "/fonts", home + "/.fonts"]
        for folder in fontFolders { paths += subfolders(of: folder) }
        for path in paths {
            var info = stat()
            let time = stat(path, &info) == 0 ? "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)" : "-"
            out += "\(path) \(time)\n"
        }
        return out
    }

    /// Every folder below `folder` (links to folders followed, 8 levels at most), sorted.
    static func subfolders(of folder: String, depth: Int = 0) -> [String] {
        guard depth < 8, let listing = opendir(folder) else { return [] }
        defer { closedir(listing) }
        var found: [String] = []
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != ".." else { continue }
            let path = folder + "/" + name
            var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            if isFolder { found.append(path) }
        }
        found.sort()
        return found.flatMap { [$0] + subfolders(of: $0, depth: depth + 1) }
    }

    static func sha256(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let hex = bytes.withUnsafeBufferPointer { g_compute_checksum_for_data(G_CHECKSUM_SHA256, $0.baseAddress, gsize($0.count)) }!
        defer { g_free(hex) }
        return String(cString: hex)
    }
}

import CHarfBuzzSubset
import CPangoCairo
import Foundation
import MonarchCore
import MonarchMarkdown

/// The fonts pamphlets are printed with: for every face they may use, a small, clean copy
/// made by HarfBuzz's subsetter that holds just the characters of the build, given to Pango
/// through a private fontconfig configuration that knows only those copies.
///
/// Why not the installed fonts: Debian 12's cairo 1.16 subsets a font for each PDF itself,
/// and its CFF subsetter writes some glyphs of Noto Sans CJK broken (如, glyph 83 of the SC
/// face, is blank on paper; MuPDF reports a broken file), and it reads the whole 15 MB CFF
/// of the collection for every PDF. From a HarfBuzz subset (subroutines flattened) cairo
/// writes every glyph right and reads a few hundred KB.
///
/// A PDF's bytes do not depend on which other characters a subset holds: the subsets keep
/// all layout features and all names, so shaping, the embedded font and its name
/// (`pdffonts`: NotoSansCJKsc-Regular) are those of the installed font; cairo renumbers
/// the glyphs it embeds in order of use, and the one thing it makes from the subset's own
/// glyph numbers, the six-letter tag of the font's name, is rewritten from the embedded
/// font (`SubsetTags`). So one set of subsets serves every pamphlet of a build, in any
/// process, and a quick rebuild may use another. Glyphs are renumbered from 1 rather than
/// kept at their numbers in the installed font (HarfBuzz's `RETAIN_GIDS`): a CJK subset
/// with kept numbers carries empty entries for 65,000 glyphs (800 KB for one line of
/// Korean, 13 KB renumbered), which cairo reads for every PDF.
///
/// The subsets are cached on disk (`cacheFolder`), named by a digest of the font file's
/// path, size and modification time, the face's index and the characters, so a build
/// whose text gained no character subsets nothing; a `FontPlan` beside them lets such a
/// build skip fontconfig altogether.
public final class PrintFonts: @unchecked Sendable {
    /// The Unicode scalar values the subsets were asked for, by language tag (grows when
    /// the same subsets are asked for again with more characters none of them has).
    private var charactersByTag: [String: Set<UInt32>]
    private var characters: Set<UInt32>
    /// The subset files, one per face.
    public let files: [URL]
    /// The fonts of the renders that use these subsets, one session per render running at
    /// once (`FontSession`): the renders of a build run on every core.
    let sessions: FontSessionPool

    /// The families the languages need that were found installed: the pamphlet's font
    /// check need not ask fontconfig about them again.
    let installedFamilies: Set<String>

    private init(charactersByTag: [String: Set<UInt32>], files: [URL], installedFamilies: Set<String>) {
        self.charactersByTag = charactersByTag
        self.characters = charactersByTag.values.reduce(into: Set<UInt32>()) { $0.formUnion($1) }
        self.files = files
        self.installedFamilies = installedFamilies
        self.sessions = FontSessionPool { FontSession(files: files, styles: Self.syntheticStyles) }
    }

    /// The characters of `used` the subsets were not made for (leaving out line breaks and
    /// other controls, which no font draws).
    func missing(from used: Set<UInt32>) -> Set<UInt32> {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        return used.subtracting(characters).filter(Self.isDrawn)
    }

    /// What these subsets were asked for, with `more` added under `tag`.
    func asked(adding more: Set<UInt32>, tag: String) -> [String: Set<UInt32>] {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        var out = charactersByTag
        out[tag, default: []].formUnion(more)
        return out
    }

    static func isDrawn(_ c: UInt32) -> Bool {
        c >= 0x20 && !(0x7F...0x9F).contains(c) && c != 0x2028 && c != 0x2029
    }

    // MARK: - Making them

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [String: PrintFonts] = [:]

    /// Subsets for `characters` of every face the languages of `tags` print with (their
    /// families in regular, bold, italic and bold italic, as the installed fontconfig picks
    /// them), plus the faces fontconfig falls back to for characters those lack. nil when
    /// no subset could be made: the caller prints with the installed fonts.
    public static func prepare(charactersByTag: [String: Set<UInt32>]) -> PrintFonts? {
        let characters = charactersByTag.values.reduce(into: Set<UInt32>()) { $0.formUnion($1) }
        lock.lock()
        defer { lock.unlock() }
        // Subsets made already for more text in these languages (the build's, when a wallet
        // card or a single page is printed after its pamphlets) print this text the same.
        for known in made.values.sorted(by: { $0.files.map(\.path).joined() < $1.files.map(\.path).joined() })
        where Set(charactersByTag.keys).isSubset(of: known.charactersByTag.keys) && characters.isSubset(of: known.characters) {
            return known
        }
        guard let folder = cacheFolder() else { return nil }
        let planFile = folder.appendingPathComponent(FontPlan.name(charactersByTag: charactersByTag))
        let plan: FontPlan
        if let found = FontPlan.load(planFile, folder: folder) {
            plan = found
            // Used now: the last to be pruned, with the subsets it names (`prune`). The subsets
            // themselves are not touched: the plan holds their stamps.
            _ = utimes(planFile.path, nil)
        } else {
            guard let made = choose(charactersByTag: charactersByTag, characters: characters, folder: folder) else { return nil }
            plan = made
            if let text = plan.text { _ = try? AtomicFile.write(Data(text.utf8), to: planFile.path, mode: 0o600) }
        }
        let files = plan.faces.map { folder.appendingPathComponent($0.subset) }
        let id = plan.faces.map(\.subset).joined(separator: ",")
        if let known = made[id] {
            for (tag, more) in charactersByTag { known.charactersByTag[tag, default: []].formUnion(more) }
            known.characters.formUnion(characters)
            return known
        }
        let fonts = PrintFonts(charactersByTag: charactersByTag, files: files, installedFamilies: Set(plan.families))
        made[id] = fonts
        return fonts
    }

    /// Asks the installed fontconfig which faces print these characters and makes (or finds)
    /// their subsets in `folder`; nil when there is no face or a subset cannot be made. The
    /// plan lists as installed only the families every language needs that were found.
    private static func choose(charactersByTag: [String: Set<UInt32>], characters: Set<UInt32>, folder: URL) -> FontPlan? {
        guard SystemFonts.config != nil else { return nil }   // loads the installed configuration
        var families: [String] = []
        var installed: [String] = []
        for tag in charactersByTag.keys.sorted() {
            let style = LanguageStyle.forTag(tag)
            for family in style.requiredFamilies where !installed.contains(family) {
                if SystemFace.match(family: family, bold: false, italic: false) != nil { installed.append(family) }
            }
            for family in neededFamilies(style: style, characters: charactersByTag[tag]!) where !families.contains(family) {
                families.append(family)
            }
        }
        var faces: [SystemFace] = []
        for family in families {
            for (bold, italic) in [(false, false), (true, false), (false, true), (true, true)] {
                if let face = SystemFace.match(family: family, bold: bold, italic: italic), !faces.contains(face) {
                    faces.append(face)
                }
            }
        }
        guard !faces.isEmpty else { return nil }
        let shaped = shapedCharacters(characters)
        var plan = FontPlan(faces: [], families: installed)
        var wrote = false
        for face in faces {
            let wanted = shaped.filter(face.has).sorted()
            let name = face.digest(of: wanted) + ".otf"
            let file = folder.appendingPathComponent(name)
            // A subset already there is used only when it is whole (a file cut short or
            // overwritten would print blank glyphs); otherwise it is made again.
            if !FontFile.isWhole(file.path) {
                guard let data = subset(face, codepoints: wanted), write(data, to: file) else { return nil }
                wrote = true
            }
            plan.faces.append(FontPlan.Face(subset: name, subsetStamp: FontPlan.stamp(of: file.path),
                                            source: face.file, stamp: face.stamp))
        }
        if wrote { prune(folder, keeping: Set(plan.faces.map(\.subset))) }
        return plan
    }

    /// The families of `style`, then those the installed fontconfig falls back to for
    /// characters of its text that none of those has.
    static func neededFamilies(style: LanguageStyle, characters: Set<UInt32>) -> [String] {
        var families = style.requiredFamilies
        let own = families.flatMap { family in [false, true].compactMap { SystemFace.match(family: family, bold: $0, italic: false) } }
        var missing = characters.filter { c in
            c > 0x20 && c != 0xA0 && isDrawn(c) && !own.contains { $0.has(c) }
        }
        // Emoji from a font of outlines, whatever else is installed: a colour emoji font
        // would be embedded by cairo as pictures, which leave the text layer and turn to grey
        // blots on a photocopier.
        let emoji = missing.filter { Unicode.Scalar($0)?.properties.isEmoji == true }
        if !emoji.isEmpty {
            for family in LanguageStyle.emojiFamilies where !families.contains(family) {
                guard let face = SystemFace.match(family: family, bold: false, italic: false) else { continue }
                let covered = emoji.filter(face.has)
                guard !covered.isEmpty else { continue }
                families.append(family)
                missing.subtract(covered)
            }
        }
        for family in style.hanFamilies + style.hanMonoFamilies where !missing.isEmpty && !families.contains(family) {
            let faces = [false, true].compactMap { SystemFace.match(family: family, bold: $0, italic: false) }
            let covered = missing.filter { c in faces.contains { $0.has(c) } }
            guard !covered.isEmpty else { continue }
            families.append(family)
            missing.subtract(covered)
        }
        if !missing.isEmpty {
            for family in SystemFace.fallbackFamilies(for: style, covering: &missing) where !families.contains(family) {
                families.append(family)
            }
        }
        return families
    }

    /// `characters` with those HarfBuzz may look up in a font's character map while shaping
    /// them: canonical decompositions (a precomposed letter the font lacks is drawn from its
    /// parts), Thai and Lao SARA AM split into NIKHAHIT and SARA AA (always), and the dotted
    /// circle shown under a mark with no base.
    static func shapedCharacters(_ characters: Set<UInt32>) -> Set<UInt32> {
        var out = characters
        out.insert(0x25CC)
        for c in characters where c >= 0x80 {
            switch c {
            case 0x0E33: out.formUnion([0x0E4D, 0x0E32])
            case 0x0EB3: out.formUnion([0x0ECD, 0x0EB2])
            default:
                guard let scalar = Unicode.Scalar(c) else { continue }
                for part in String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars { out.insert(part.value) }
            }
        }
        return out
    }

    /// Where the subsets are kept: `MONARCH_FONT_CACHE`, else `$XDG_CACHE_HOME/monarch/fonts`
    /// or `~/.cache/monarch/fonts`, else a folder in the temporary folder, else a new private
    /// one there; nil only if none can be made. Never in a build's output, readable by the user alone (the
    /// characters of a site say something about its text).
    static func cacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment,
                            temporary: URL = FileManager.default.temporaryDirectory) -> URL? {
        var candidates: [URL] = []
        if let folder = environment["MONARCH_FONT_CACHE"], !folder.isEmpty { candidates.append(URL(fileURLWithPath: folder)) }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            candidates.append(URL(fileURLWithPath: xdg).appendingPathComponent("monarch/fonts"))
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            candidates.append(URL(fileURLWithPath: home).appendingPathComponent(".cache/monarch/fonts"))
        }
        candidates.append(temporary.appendingPathComponent("monarch-fonts-\(getuid())"))
        for folder in candidates {
            _ = try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])
            // Only a folder of this user that no one else may write to: fonts put there by
            // someone else would be printed in every pamphlet.
            var info = stat()
            if lstat(folder.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(),
               info.st_mode & 0o022 == 0, access(folder.path, W_OK) == 0 {
                return folder
            }
        }
        // Last, a new folder of this process's own (mkdtemp: mode 0700, never there before):
        // no reuse across builds, but never the installed fonts, whose CFF Cairo 1.16 subsets
        // with blank glyphs.
        var template = Array((temporary.path + "/monarch-fonts-XXXXXX").utf8CString)
        if let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) {
            let folder = URL(fileURLWithPath: String(cString: made))
            TemporaryFontFolder.removeAtExit(folder)
            return folder
        }
        return nil
    }

    /// Most the cache may hold: every new character makes new subsets of the faces that
    /// have it (a CJK face's is about 1 MB), so a site edited for months would fill a disk.
    static let cacheLimit = 256 << 20

    /// Removes the least recently used subsets and plans beyond `cacheLimit`, never those of
    /// `keeping`, and temporary files a killed build left. A subset was last used when it was
    /// made or when a plan naming it was last used (a plan's time is touched at each use).
    static func prune(_ folder: URL, keeping: Set<String>, limit: Int = cacheLimit) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        var entries: [(name: String, time: Int, size: Int)] = []
        var lastUse: [String: Int] = [:]
        let now = time(nil)
        for name in names {
            var info = stat()
            let file = folder.appendingPathComponent(name)
            guard stat(file.path, &info) == 0 else { continue }
            if name.hasSuffix(".tmp") {
                if now - info.st_mtim.tv_sec > 3600 { try? FileManager.default.removeItem(at: file) }
                continue
            }
            guard name.hasSuffix(".otf") || name.hasSuffix(".plan") else { continue }
            entries.append((name, info.st_mtim.tv_sec, Int(info.st_size)))
            if name.hasSuffix(".plan"), Int(info.st_size) < 1 << 20, let text = try? String(contentsOf: file, encoding: .utf8) {
                for subset in FontPlan.subsets(named: text) { lastUse[subset] = max(lastUse[subset] ?? 0, info.st_mtim.tv_sec) }
            }
        }
        entries = entries.map { ($0.name, max($0.time, lastUse[$0.name] ?? 0), $0.size) }
        var total = entries.reduce(0) { $0 + $1.size }
        for entry in entries.sorted(by: { ($0.time, $0.name) < ($1.time, $1.name) }) where total > limit {
            guard !keeping.contains(entry.name) else { continue }
            if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry.name))) != nil { total -= entry.size }
        }
    }

    /// Written whole and renamed into place (`AtomicFile`), so that another build reading the
    /// cache at the same time sees the whole file or none.
    private static func write(_ data: Data, to file: URL) -> Bool {
        (try? AtomicFile.write(data, to: file.path, mode: 0o600)) != nil
    }

    /// The face with only the glyphs of `codepoints` (and those its layout features reach),
    /// glyphs renumbered from 1, subroutines flattened, every feature, name and the .notdef
    /// outline kept.
    static func subset(_ face: SystemFace, codepoints: [UInt32]) -> Data? {
        guard let blob = hb_blob_create_from_file_or_fail(face.file) else { return nil }
        defer { hb_blob_destroy(blob) }
        guard let hbFace = hb_face_create(blob, UInt32(face.index)) else { return nil }
        defer { hb_face_destroy(hbFace) }
        guard let input = hb_subset_input_create_or_fail() else { return nil }
        defer { hb_subset_input_destroy(input) }
        let unicodes = hb_subset_input_unicode_set(input)
        for codepoint in codepoints { hb_set_add(unicodes, codepoint) }
        for everything in [HB_SUBSET_SETS_LAYOUT_FEATURE_TAG, HB_SUBSET_SETS_LAYOUT_SCRIPT_TAG,
                           HB_SUBSET_SETS_NAME_ID, HB_SUBSET_SETS_NAME_LANG_ID] {
            let set = hb_subset_input_set(input, everything)
            hb_set_clear(set)
            hb_set_invert(set)
        }
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_DESUBROUTINIZE.rawValue
                                    | HB_SUBSET_FLAGS_NAME_LEGACY.rawValue | HB_SUBSET_FLAGS_NOTDEF_OUTLINE.rawValue
                                    | HB_SUBSET_FLAGS_GLYPH_NAMES.rawValue)
        guard let result = hb_subset_or_fail(hbFace, input) else { return nil }
        defer { hb_face_destroy(result) }
        guard let out = hb_face_reference_blob(result) else { return nil }
        defer { hb_blob_destroy(out) }
        var length: UInt32 = 0
        guard let bytes = hb_blob_get_data(out, &length), length > 0 else { return nil }
        return Data(bytes: bytes, count: Int(length))
    }

    /// The installed configuration's synthetic oblique and bold (90-synthetic.conf): Chinese,
    /// Korean and Thai have no italic face, and emphasis in them is slanted.
    static let syntheticStyles = """
        <?xml version="1.0"?>
        <fontconfig>
          <match target="font">
            <test name="slant"><const>roman</const></test>
            <test target="pattern" name="slant" compare="not_eq"><const>roman</const></test>
            <edit name="matrix" mode="assign"><times><name>matrix</name>
              <matrix><double>1</double><double>0.2</double><double>0</double><double>1</double></matrix>
            </times></edit>
            <edit name="slant" mode="assign"><const>oblique</const></edit>
          </match>
          <match target="font">
            <test name="weight" compare="less_eq"><const>medium</const></test>
            <test target="pattern" name="weight" compare="more_eq"><const>bold</const></test>
            <edit name="embolden" mode="assign"><bool>true</bool></edit>
            <edit name="weight" mode="assign"><const>bold</const></edit>
          </match>
        </fontconfig>
        """

    // MARK: - Which characters

    /// Characters any pamphlet prints besides its text: numbers, list marks, the footer's
    /// `n / N`, link addresses' punctuation, the kit's dash for a missing title.
    static let printedByMonarch: Set<UInt32> = {
        var out = Set<UInt32>(0x20...0x7E)
        for scalar in "•–—·".unicodeScalars { out.insert(scalar.value) }
        return out
    }()

    /// The characters the pamphlets of `pages` print, as far as can be known before they are
    /// laid out: their text, titles, footers, addresses, link targets and contacts. (A
    /// render finds any it missed and prints again with those added.)
    public static func characters(of pages: [PamphletPage], extra: [String] = []) -> [String: Set<UInt32>] {
        var byTag: [String: Set<UInt32>] = [:]
        for page in pages {
            byTag[page.languageTag, default: printedByMonarch].formUnion(characters(of: page))
            // The colon of a contact's lines in Chinese and Japanese.
            if LanguageStyle.forTag(page.languageTag).dropsSpaceBetweenIdeographs { byTag[page.languageTag]!.insert(0xFF1A) }
        }
        if let first = pages.first?.languageTag {
            for text in extra { byTag[first, default: printedByMonarch].formUnion(text.unicodeScalars.map(\.value)) }
        }
        return byTag
    }

    /// The characters of one page (see `characters(of:extra:)`).
    static func characters(of page: PamphletPage) -> Set<UInt32> {
        var out = Set<UInt32>()
        func add(_ text: String) { for scalar in text.unicodeScalars { out.insert(scalar.value) } }
        for text in [page.title, page.author, page.subject, page.footerText, page.webAddress ?? "",
                     page.document.plainText] {
            add(text)
        }
        for heading in page.document.headings { add(heading.text) }
        for link in page.document.links {
            add(link.text)
            add(link.title ?? "")
            if !link.isImage { add(page.resolveLink(link.destination)) }
        }
        for contact in page.contacts.values {
            add(contact.name)
            for line in contact.lines { add(line.label + line.value) }
        }
        MarkdownDocument.visitBlocks(page.document.blocks) { block in
            switch block.kind {
            case .callout(let kind, _):
                add(page.labels.callout(kind))
            case .list(let list) where list.items.contains(where: { $0.task != nil }):
                add(TaskMarker.open + TaskMarker.done)
            default:
                break
            }
        }
        return out
    }
}

/// A face of an installed font file, as the installed fontconfig chooses it.
struct SystemFace: Hashable {
    var file: String
    var index: Int32
    /// Size and modification time of the file, for the cache key.
    var stamp: String
    /// Its characters (fontconfig's charset), as a lookup.
    private var charset: CharsetBox

    static func == (a: SystemFace, b: SystemFace) -> Bool { a.file == b.file && a.index == b.index }
    func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(index)
    }

    func has(_ codepoint: UInt32) -> Bool { FcCharSetHasChar(charset.charset, codepoint) != 0 }

    /// The cache file name: SHA-256 over the face and the characters.
    func digest(of codepoints: [UInt32]) -> String {
        var text = "monarch-font-subset 2\n\(file)\n\(index)\n\(stamp)\n\(String(cString: hb_version_string()))\n"
        text += codepoints.map { String($0, radix: 16) }.joined(separator: " ")
        return FontPlan.sha256(text)
    }

    /// The face fontconfig picks for `family` in that weight and slant; nil when the
    /// family is not installed (the pamphlet's font check reports that).
    static func match(family: String, bold: Bool, italic: Bool) -> SystemFace? {
        guard let pattern = FcPatternCreate() else { return nil }
        defer { FcPatternDestroy(pattern) }
        _ = FcPatternAddString(pattern, FC_FAMILY, family)
        _ = FcPatternAddInteger(pattern, FC_WEIGHT, bold ? 200 : 80)       // FC_WEIGHT_BOLD, FC_WEIGHT_REGULAR
        _ = FcPatternAddInteger(pattern, FC_SLANT, italic ? 100 : 0)       // FC_SLANT_ITALIC, FC_SLANT_ROMAN
        guard let system = SystemFonts.config else { return nil }
        FcConfigSubstitute(system, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(system, pattern, &result) else { return nil }
        defer { FcPatternDestroy(match) }
        var name: UnsafeMutablePointer<FcChar8>?
        var names: [String] = []
        var i: Int32 = 0
        while FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch, let name {
            names.append(String(cString: name))
            i += 1
        }
        guard names.contains(where: { $0.caseInsensitiveCompare(family) == .orderedSame }) else { return nil }
        return face(of: match)
    }

    /// The face of a fontconfig pattern (with file, index and charset).
    private static func face(of pattern: OpaquePointer) -> SystemFace? {
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(pattern, FC_FILE, 0, &file) == FcResultMatch, let file else { return nil }
        var index: Int32 = 0
        _ = FcPatternGetInteger(pattern, FC_INDEX, 0, &index)
        var charset: OpaquePointer?
        guard FcPatternGetCharSet(pattern, FC_CHARSET, 0, &charset) == FcResultMatch, let charset else { return nil }
        let path = String(cString: file)
        let stamp = FontPlan.stamp(of: path)
        guard !stamp.isEmpty else { return nil }
        return SystemFace(file: path, index: index, stamp: stamp, charset: CharsetBox(FcCharSetCopy(charset)))
    }

    /// Families the installed fontconfig falls back to, for `style`'s text, for the
    /// characters in `missing` (removed from it as they are found), as Pango would.
    static func fallbackFamilies(for style: LanguageStyle, covering missing: inout Set<UInt32>) -> [String] {
        guard let pattern = FcPatternCreate() else { return [] }
        defer { FcPatternDestroy(pattern) }
        for family in style.bodyFamilies { _ = FcPatternAddString(pattern, FC_FAMILY, family) }
        _ = FcPatternAddString(pattern, FC_LANG, style.tag.lowercased())
        guard let system = SystemFonts.config else { return [] }
        FcConfigSubstitute(system, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let sorted = FcFontSort(system, pattern, 1, nil, &result) else { return [] }
        defer { FcFontSetDestroy(sorted) }
        var families: [String] = []
        for i in 0..<Int(sorted.pointee.nfont) where !missing.isEmpty {
            guard let font = sorted.pointee.fonts[i] else { continue }
            // Never a colour font (Noto Color Emoji): cairo 1.16 embeds its glyphs as pictures,
            // out of the text layer, drawn over the lines around them. A character only such a
            // font has prints as Pango's box with its code.
            var color: FcBool = 0
            if FcPatternGetBool(font, FC_COLOR, 0, &color) == FcResultMatch, color != 0 { continue }
            var charset: OpaquePointer?
            guard FcPatternGetCharSet(font, FC_CHARSET, 0, &charset) == FcResultMatch, let charset else { continue }
            let covered = missing.filter { FcCharSetHasChar(charset, $0) != 0 }
            guard !covered.isEmpty else { continue }
            var name: UnsafeMutablePointer<FcChar8>?
            guard FcPatternGetString(font, FC_FAMILY, 0, &name) == FcResultMatch, let name else { continue }
            missing.subtract(covered)
            let family = String(cString: name)
            if !families.contains(family) { families.append(family) }
        }
        return families
    }
}

/// A fontconfig charset, freed with the last face that holds it.
final class CharsetBox: @unchecked Sendable {
    let charset: OpaquePointer?
    init(_ charset: OpaquePointer?) { self.charset = charset }
    deinit { if let charset { FcCharSetDestroy(charset) } }
}

extension CharsetBox: Hashable {
    static func == (a: CharsetBox, b: CharsetBox) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A folder made for one process's subsets when no cache folder can be used: removed when the
/// process ends, so that builds do not fill the temporary folder.
enum TemporaryFontFolder {
    nonisolated(unsafe) private static var folders: [String] = []
    private static let lock = NSLock()
    private static let registered: Void = {
        atexit {
            TemporaryFontFolder.lock.lock()
            let folders = TemporaryFontFolder.folders
            TemporaryFontFolder.lock.unlock()
            for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        }
    }()

    static func removeAtExit(_ folder: URL) {
        _ = registered
        lock.lock()
        folders.append(folder.path)
        lock.unlock()
    }
}

/// Whether an OpenType file is whole: a known header, and every table the directory lists
/// inside the file. Reads the header and directory only.
enum FontFile {
    static func isWhole(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        let size = Int(info.st_size)
        guard size >= 12, let head = try? handle.read(upToCount: 12), head.count == 12 else { return false }
        let bytes = [UInt8](head)
        func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        func u32(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        let version = u32(bytes, 0)
        guard version == 0x0001_0000 || version == 0x4F54_544F || version == 0x7472_7565 else { return false }   // 1.0, OTTO, true
        let tables = u16(bytes, 4)
        guard tables > 0, 12 + tables * 16 <= size,
              let directory = try? handle.read(upToCount: tables * 16), directory.count == tables * 16 else { return false }
        let records = [UInt8](directory)
        for i in 0..<tables {
            let offset = u32(records, i * 16 + 8), length = u32(records, i * 16 + 12)
            guard offset + length <= size else { return false }
        }
        return true
    }
}

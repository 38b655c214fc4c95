import CPangoCairo
import Foundation

/// Checks that a font family is installed and readable, through fontconfig, once per
/// family per process.
enum FontCheck {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: String?] = [:]

    /// nil when `family` is installed and its file readable; else what is wrong and what to do.
    static func problem(family: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if let known = cache[family] { return known }
        let result = lookUp(family)
        cache[family] = result
        return result
    }

    private static func lookUp(_ family: String) -> String? {
        guard let system = SystemFonts.config, let pattern = FcPatternCreate() else {
            return "fontconfig could not be used; check its installation"
        }
        defer { FcPatternDestroy(pattern) }
        family.withCString { name in
            name.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) {
                _ = FcPatternAddString(pattern, FC_FAMILY, $0)
            }
        }
        FcConfigSubstitute(system, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(system, pattern, &result) else {
            return "font '\(family)' is not installed; install it (Debian: fonts-noto-core, fonts-noto-mono, fonts-noto-cjk)"
        }
        defer { FcPatternDestroy(match) }
        var names: [String] = []
        var index: Int32 = 0
        var value: UnsafeMutablePointer<FcChar8>?
        while FcPatternGetString(match, FC_FAMILY, index, &value) == FcResultMatch, let value {
            names.append(String(cString: value))
            index += 1
        }
        guard names.contains(where: { $0.caseInsensitiveCompare(family) == .orderedSame }) else {
            let found = names.first.map { " (fontconfig offers '\($0)' instead)" } ?? ""
            return "font '\(family)' is not installed\(found); install it (Debian: fonts-noto-core, fonts-noto-mono, fonts-noto-cjk)"
        }
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch, let file else {
            return "font '\(family)' has no file; reinstall it"
        }
        let path = String(cString: file)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return "font file \(path) of '\(family)' cannot be read; check its permissions or reinstall the font"
        }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), head.count == 4 else {
            return "font file \(path) of '\(family)' is empty or unreadable; reinstall the font"
        }
        return nil
    }
}

/// The installed fontconfig configuration, loaded the first time a family is matched or
/// checked, or a pamphlet is printed without subsets; never as Pango's default.
///
/// Pango 1.50 loads fontconfig's default configuration in a thread of its own when its first
/// font map is made, and waits for it before the first layout: 3.5 ms of every build that
/// prints, although a build whose font plan is known prints only from its subsets, through a
/// configuration of their own (`FontSession`). So Pango's default is made an empty
/// configuration, and every lookup here names this one.
enum SystemFonts {
    nonisolated(unsafe) static let config: OpaquePointer? = FcInitLoadConfigAndFonts()

    private static let emptyDefault: Void = {
        if let empty = FcConfigCreate() {
            _ = FcConfigSetCurrent(empty)
            FcConfigDestroy(empty)
        }
    }()

    /// Call before making a Pango font map.
    static func keepPangoFromLoadingThem() { _ = emptyDefault }
}

/// The Pango font map a render lays out and draws with.
///
/// With font subsets (`PrintFonts`), each render takes a `FontSession` of its own, so
/// renders run at once, one per core. Without them (no subset could be made), renders use
/// the installed fonts and take turns: cairo 1.16's FreeType backend keeps at most 10 faces
/// it opened from files and closes one at random when it needs an 11th, without taking that
/// face's lock, so a render in another thread could be left with a closed face (a crash in
/// `FT_Get_First_Char` while the PDF's fonts are subset). Faces of sessions are never among
/// those it closes.
final class RenderSession: @unchecked Sendable {
    static let shared = RenderSession()

    private let lock = NSLock()

    private init() {
        #if os(Linux)
        // Cairo reads a CJK font's whole glyph table (15 MB in Noto Sans CJK) into a buffer
        // for every font it embeds and frees it again. glibc's sliding mmap threshold would
        // move such buffers onto the heap after the first, where they stay; a fixed threshold
        // gives each back to the system when freed. (`mallopt` is in <malloc.h>, which Swift's
        // Glibc module does not import; M_MMAP_THRESHOLD is -3.)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(nil, "mallopt") {
            _ = unsafeBitCast(symbol, to: Mallopt.self)(-3, 1 << 20)
        }
        #endif
    }

    /// Runs `body` with a font map: a session of `fonts`' subsets, or without them (or when
    /// no session can be made) one over the installed fonts, holding the render lock.
    func withFontMap<T>(_ fonts: PrintFonts? = nil, _ body: (UnsafeMutablePointer<PangoFontMap>) throws -> T) rethrows -> T {
        if let fonts, let session = fonts.sessions.take() {
            defer { fonts.sessions.give(back: session) }
            return try body(session.map)
        }
        lock.lock()
        defer { lock.unlock() }
        // A font map per render, dropped with the fonts it opened when the render ends: a
        // Chinese, Korean or Thai pamphlet opens its CJK fonts (about 16 MB of glyph data
        // each, regular and bold), and keeping them for the next render made five UDHR
        // pamphlets peak at 220 MiB; now about 180 MiB.
        SystemFonts.keepPangoFromLoadingThem()
        let fontMap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)!
        defer { g_object_unref(fontMap) }
        if let system = SystemFonts.config { pango_fc_font_map_set_config(OpaquePointer(fontMap), system) }
        return try body(fontMap)
    }
}

import CPangoCairo
import Foundation

/// One thread's fonts for printing with a set of subsets: a FreeType library, a face for
/// each subset file opened on it, a fontconfig configuration whose fonts carry those faces
/// (`FC_FT_FACE`), and a Pango font map over that configuration.
///
/// Why a session per thread: cairo 1.16's FreeType backend keeps at most 10 faces it opened
/// from a file and, when it needs an 11th, closes one at random without taking that face's
/// lock, so a render in another thread can be left with a closed face; it also opens every
/// such face on one FreeType library from several threads. A face handed to cairo through
/// `FC_FT_FACE` is never closed by cairo, and here each belongs to one library used by one
/// thread at a time. So renders with different sessions may run at once, one per core.
final class FontSession: @unchecked Sendable {
    let map: UnsafeMutablePointer<PangoFontMap>
    /// The faces cairo draws with, for tests that check no other face is used.
    let faces: [FT_Face]
    private let library: FT_Library
    private let config: OpaquePointer

    /// nil when FreeType or fontconfig cannot open a subset.
    init?(files: [URL], styles: String) {
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else { return nil }
        guard let config = FcConfigCreate() else {
            FT_Done_FreeType(library)
            return nil
        }
        var faces: [FT_Face] = []
        func fail() -> Bool {
            FcConfigDestroy(config)
            for face in faces { FT_Done_Face(face) }
            FT_Done_FreeType(library)
            return false
        }
        _ = FcConfigParseAndLoadFromMemory(config, styles, 1)
        for file in files where FcConfigAppFontAddFile(config, file.path) == 0 {
            _ = fail()
            return nil
        }
        guard let set = FcConfigGetFonts(config, FcSetApplication) else {
            _ = fail()
            return nil
        }
        for i in 0..<Int(set.pointee.nfont) {
            guard let pattern = set.pointee.fonts[i] else { continue }
            var file: UnsafeMutablePointer<FcChar8>?
            var index: Int32 = 0
            var face: FT_Face?
            guard FcPatternGetString(pattern, FC_FILE, 0, &file) == FcResultMatch, let file,
                  FcPatternGetInteger(pattern, FC_INDEX, 0, &index) == FcResultMatch,
                  file.withMemoryRebound(to: CChar.self, capacity: 1, { FT_New_Face(library, $0, FT_Long(index), &face) }) == 0,
                  let face else {
                _ = fail()
                return nil
            }
            faces.append(face)
            guard FcPatternAddFTFace(pattern, FC_FT_FACE, face) != 0 else {
                _ = fail()
                return nil
            }
        }
        SystemFonts.keepPangoFromLoadingThem()
        let map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)!
        pango_fc_font_map_set_config(OpaquePointer(map), config)
        self.map = map
        self.faces = faces
        self.library = library
        self.config = config
    }

    // A session lives as long as its `PrintFonts`, which a process keeps to its end: cairo
    // keeps fonts it made from these faces in caches of its own, so they are never closed.
}

/// The sessions of one set of subsets: made when first needed, at most one per core, each
/// used by one render at a time.
final class FontSessionPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var idle: [FontSession] = []
    private var made = 0
    private var failed = false
    /// How many sessions were made: more than one once renders ran at the same time.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return made
    }
    private let limit: Int
    private let make: () -> FontSession?

    init(limit: Int = ProcessInfo.processInfo.activeProcessorCount, make: @escaping () -> FontSession?) {
        self.limit = max(1, limit)
        self.make = make
    }

    /// A session no other render is using, waiting for one when every core has one; nil when
    /// none can be made.
    func take() -> FontSession? {
        condition.lock()
        while true {
            if let session = idle.popLast() {
                condition.unlock()
                return session
            }
            if failed && made == 0 {
                condition.unlock()
                return nil
            }
            if made < limit && !failed {
                made += 1
                condition.unlock()
                if let session = make() { return session }
                condition.lock()
                made -= 1
                failed = true
                condition.broadcast()
                continue
            }
            condition.wait()
        }
    }

    func give(back session: FontSession) {
        condition.lock()
        idle.append(session)
        condition.signal()
        condition.unlock()
    }
}

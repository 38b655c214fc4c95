import Foundation
import MonarchContent
import MonarchCore
import MonarchImages

/// The copies of images made by earlier builds (issue #19, point 5), one file each, named by
/// the SHA-256 of what made them: the source's bytes, the width and the encoder's settings.
/// It sits beside the output folder, as the build cache's record does (`.public.monarch-images/`
/// for `public/`), so that a build after a text edit, or a full one after a template change,
/// makes no image again.
final class ImageCache: @unchecked Sendable {
    let folder: URL
    /// Whether this build adds to it (`monarch build`), or only reads it (`monarch check`).
    let writable: Bool
    private let lock = NSLock()
    private var made = 0

    /// Bumped when the way copies are made changes (libvips's version is part of every key).
    static let version = "1"

    init(outputFolder: URL, writable: Bool = true) {
        self.writable = writable
        let output = outputFolder.standardizedFileURL
        folder = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).monarch-images")
    }

    static func key(digest: String, width: Int, settings: ImageEncoder.Settings) -> String {
        SourceHash.digest("\(version) \(ImageEncoder.libraryVersion) \(digest) \(width) \(settings.key)")
    }

    func read(_ key: String) -> Data? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(key).path)
    }

    func write(_ data: Data, key: String) {
        lock.lock()
        made += 1
        lock.unlock()
        guard writable else { return }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: folder.appendingPathComponent(key).path)
    }

    /// How many copies this build made (not found in the cache).
    var madeCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return made
    }

    /// Removes the copies no image of this build needs any more.
    func keepOnly(_ keys: Set<String>) {
        guard writable, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where !keys.contains(name) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

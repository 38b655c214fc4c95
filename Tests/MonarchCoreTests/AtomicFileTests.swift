import Foundation
import Testing
@testable import MonarchCore

/// The one writer that replaces a whole file: the build cache, the zip, the font cache, the
/// print workers' results and the pages `monarch new` and `monarch status` write.
@Suite("AtomicFile: whole-file replace")
struct AtomicFileTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode
    }

    @Test func replacesTheFileWithTheGivenModeAndLeavesNoTemporary() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("record").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("new".utf8))
        #expect(mode(path) & 0o7777 == 0o644)
        try AtomicFile.write(Data("private".utf8), to: path, mode: 0o600)
        #expect(mode(path) & 0o7777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["record"])
    }

    /// A link at the path is replaced by the file, never written through.
    @Test func replacesALinkRatherThanWritingThroughIt() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("elsewhere").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: target))
        let path = dir.appendingPathComponent("cache").path
        #expect(symlink(target, path) == 0)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(mode(path) & S_IFMT == S_IFREG)
        #expect(FileManager.default.contents(atPath: target) == Data("keep".utf8))
    }

    /// A writer that fails half way leaves the old file as it was, and no temporary.
    @Test func aFailedWriteLeavesTheOldFile() throws {
        struct Stop: Error {}
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("site.zip").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: Stop.self) {
            try AtomicFile.write(to: path) { fd in
                _ = PlainFile.writeAll(Data("half".utf8), to: fd)
                throw Stop()
            }
        }
        #expect(FileManager.default.contents(atPath: path) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["site.zip"])
        #expect(throws: AtomicFile.Failure.self) {
            try AtomicFile.write(Data("x".utf8), to: dir.appendingPathComponent("missing/file").path)
        }
    }

    @Test func modeOfKeepsAnExistingFilesMode() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("page.md").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o640)
        #expect(AtomicFile.mode(of: path) == 0o640)
        #expect(AtomicFile.mode(of: dir.appendingPathComponent("none").path) == 0o644)
    }
}

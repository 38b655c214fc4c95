import Foundation
import TestSupport
import Testing

/// The binary carries its built-in theme (issue #21): copied alone it builds a site, unpacking
/// the theme into the user's cache and unpacking it again when the copy there was changed.
/// When it cannot (MONARCH_HOME naming a folder without a theme, nowhere writable to unpack),
/// the build says so once, with what to do, instead of an error for every template and
/// string (issue #18, point 10).
@Suite("A copied binary and its theme", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct CopiedBinaryTests {
    @Test func buildsAloneAndSaysOnceWhenTheThemeIsMissing() throws {
        let folder = TestBuild.temporaryFolder("bin")
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("monarch")
        try fm.copyItem(at: Repo.monarchBinary, to: binary)
        let home = folder.appendingPathComponent("home")
        try fm.createDirectory(at: home, withIntermediateDirectories: true)
        let site = try TestBuild.homeSite()
        let output = TestBuild.temporaryFolder("public")
        let alone: [String: String?] = ["MONARCH_HOME": nil, "XDG_CACHE_HOME": nil, "HOME": home.path]

        let run = try Command.run(binary.path, ["build", "--site", site.path, "--output", output.path], environment: alone)
        #expect(run.status == 0, "\(run.err)")
        let unpacked = try #require(try fm.contentsOfDirectory(atPath: home.appendingPathComponent(".cache/monarch").path)
            .first { $0.hasPrefix("theme-") })
        let css = home.appendingPathComponent(".cache/monarch/\(unpacked)/templates/assets/monarch.css")
        let original = try Data(contentsOf: Repo.root.appendingPathComponent("templates/assets/monarch.css"))
        #expect(try Data(contentsOf: css) == original)

        // A changed copy is never used: the next build puts the carried bytes back.
        try Data("body { color: red }".utf8).write(to: css)
        let again = try Command.run(binary.path, ["build", "--site", site.path, "--output", output.path, "--no-cache"], environment: alone)
        #expect(again.status == 0, "\(again.err)")
        #expect(try Data(contentsOf: css) == original)
        let published = try fm.contentsOfDirectory(atPath: output.appendingPathComponent("assets").path).filter { $0.hasPrefix("monarch") && $0.hasSuffix(".css") }
        for name in published {
            #expect(!(try String(contentsOf: output.appendingPathComponent("assets/\(name)"), encoding: .utf8)).contains("color: red"))
        }

        let other = TestBuild.temporaryFolder("public2")
        let wrong = try Command.run(binary.path, ["build", "--site", site.path, "--output", other.path],
                                    environment: ["MONARCH_HOME": folder.path])
        #expect(wrong.status != 0)
        #expect(wrong.err.split(separator: "\n").filter { $0.contains("error:") }.count == 1, "\(wrong.err)")
        #expect(wrong.err.contains("MONARCH_HOME is \(folder.path)"), "\(wrong.err)")
        #expect(!fm.fileExists(atPath: other.path))

        // Nowhere to unpack: HOME, XDG_CACHE_HOME and the temporary folder are files.
        let file = folder.appendingPathComponent("a-file")
        try Data().write(to: file)
        let nowhere = try Command.run(binary.path, ["build", "--site", site.path, "--output", other.path],
                                      environment: ["MONARCH_HOME": nil, "HOME": file.path, "XDG_CACHE_HOME": file.path, "TMPDIR": file.path])
        #expect(nowhere.status != 0)
        let errors = nowhere.err.split(separator: "\n").filter { $0.contains("error:") }
        #expect(errors.count == 1, "\(nowhere.err)")
        #expect(nowhere.err.contains("could not be unpacked") && nowhere.err.contains("XDG_CACHE_HOME"), "\(nowhere.err)")
        #expect(!fm.fileExists(atPath: other.path))

        let right = try Command.run(binary.path, ["build", "--site", site.path, "--output", other.path],
                                    environment: ["MONARCH_HOME": Repo.root.path])
        #expect(right.status == 0, "\(right.err)")
    }
}

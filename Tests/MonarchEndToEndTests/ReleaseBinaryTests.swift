import Foundation
import TestSupport
import Testing

/// The release binary and `make dist`'s tarball, out of the checkout (issue #21): `make test`
/// makes both before the suite (`make release-test` runs only these).
enum Release {
    static let binary = Repo.root.appendingPathComponent(".build/release/monarch")
    static let tarball: URL = {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return Repo.root.appendingPathComponent(".build/dist/monarch-linux-\(machine).tar.gz")
    }()
    static let missing = "no release build: run `make dist` (or `make test`, which makes it first)"

    /// An environment with nothing of this checkout in it: no MONARCH_HOME, a new HOME (where
    /// the binary unpacks its theme), and a PATH without the Swift toolchain.
    static func cleanEnvironment(home: URL) -> [String: String?] {
        ["MONARCH_HOME": nil, "XDG_CACHE_HOME": nil, "HOME": home.path, "PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": nil]
    }

    static func unpackedTarball() throws -> URL {
        let folder = TestBuild.temporaryFolder("dist")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try Command.tool("tar", ["-xzf", tarball.path, "-C", folder.path, "--strip-components=1"])
        return folder
    }
}

@Suite("The release binary, copied alone", .serialized,
       .enabled(if: FileManager.default.fileExists(atPath: Release.binary.path), Comment(rawValue: Release.missing)))
struct ReleaseBinaryTests {
    @Test func copiedAloneInitsBuildsAndChecksANewSite() throws {
        let work = TestBuild.temporaryFolder("work")
        let bin = work.appendingPathComponent("bin"), home = work.appendingPathComponent("home")
        for folder in [bin, home] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let monarch = bin.appendingPathComponent("monarch").path
        try FileManager.default.copyItem(atPath: Release.binary.path, toPath: monarch)
        let environment = Release.cleanEnvironment(home: home)
        let site = work.appendingPathComponent("my site").path

        let initRun = try Command.run(monarch, ["init", site, "--languages", "th,en,zh-hant"], environment: environment)
        #expect(initRun.status == 0, "\(initRun.err)")
        #expect(!initRun.err.contains("warning"), "\(initRun.err)")

        let output = work.appendingPathComponent("public").path
        let build = try Command.run(monarch, ["build", "--site", site, "--output", output], environment: environment)
        #expect(build.status == 0, "\(build.err)")
        #expect(!build.err.contains("warning:") && !build.err.contains("error:"), "\(build.err)")
        #expect(build.err.contains("0 warnings") || build.out.contains("0 warnings") || !build.err.contains("warning"), "\(build.err)")

        let check = try Command.run(monarch, ["check", "--site", site, "--strict"], environment: environment)
        #expect(check.status == 0, "\(check.err)")

        // A complete site: every page in every language, the chooser, the 404 page, and every
        // asset of the built-in theme.
        let fm = FileManager.default
        var expected = ["index.html", "404.html", "sw.js"]
        for key in ["th", "en", "zh-hant"] {
            expected += ["", "safety/", "help/", "help/contacts/", "search/", "offline/"].map { "\(key)/\($0)index.html" }
        }
        let assets = try fm.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("templates/assets").path)
        expected += assets.filter { $0 != "sw.js" }.map { "assets/\($0)" }
        for path in expected {
            #expect(fm.fileExists(atPath: "\(output)/\(path)"), "\(path) missing")
        }
        let thai = try String(contentsOfFile: "\(output)/th/index.html", encoding: .utf8)
        #expect(thai.contains("lang=\"th\"") && thai.contains("ออกทันที"), "the Thai interface strings")

        // A second init into the now non-empty folder is refused, and changes nothing.
        let again = try Command.run(monarch, ["init", site, "--languages", "en"], environment: environment)
        #expect(again.status == 2 && again.err.contains("not empty"), "\(again.err)")
    }

    @Test func linksNoLibraryOfTheSwiftToolchain() throws {
        let ldd = try Command.tool("ldd", [Release.binary.path])
        let toolchain = try Regex(#"libswift|libFoundation|lib_FoundationICU|libdispatch|libBlocksRuntime|/opt/swift|/usr/lib/swift|swift/linux"#)
        for line in ldd.split(separator: "\n") {
            #expect(line.firstMatch(of: toolchain) == nil, "\(line)")
            #expect(!line.contains("not found"), "\(line)")
        }
        // libcurl stays (Debian's libcurl4, in debian-packages.txt): FlyingFox's ProxyHTTPHandler,
        // which the preview never uses, imports FoundationNetworking.
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Release.tarball.path), Comment(rawValue: Release.missing)))
    func theTarballBuildsTheExampleSite() throws {
        let dist = try Release.unpackedTarball()
        let fm = FileManager.default
        for file in ["monarch", "monarch.1", "debian-packages.txt", "README", "LICENSES"] {
            #expect(fm.fileExists(atPath: dist.appendingPathComponent(file).path), "\(file)")
        }
        let licences = try fm.contentsOfDirectory(atPath: dist.appendingPathComponent("LICENSES").path)
        for dependency in ["swift-argument-parser", "Yams", "swift-mustache", "swift-crypto", "FlyingFox", "swift-toolchain"] {
            #expect(licences.contains { $0.hasPrefix(dependency) }, "no licence of \(dependency): \(licences)")
        }
        // Every package named is a real, installed Debian package: the list is what apt gets.
        let packages = try String(contentsOf: dist.appendingPathComponent("debian-packages.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        for required in ["libcmark0.30.2", "libpango-1.0-0", "libcairo2", "libgumbo1", "libqrencode4", "fonts-noto-cjk"] {
            #expect(packages.contains(required), "\(packages)")
        }
        for package in packages {
            let status = try Command.tool("dpkg-query", ["-W", "-f=${Status}", package], allowFailure: true)
            #expect(status.contains("install ok installed"), "\(package): \(status)")
        }
        let manual = try String(contentsOf: dist.appendingPathComponent("monarch.1"), encoding: .utf8)
        #expect(manual.hasPrefix(".TH MONARCH 1") && manual.contains("MONARCH INIT") && manual.contains("--languages"))

        // The example site without its templates/ and translations/: the theme comes from the binary.
        let site = TestBuild.temporaryFolder("example")
        try fm.createDirectory(at: site, withIntermediateDirectories: true)
        for item in ["site.yaml", "content", "static"] {
            try fm.copyItem(at: Repo.root.appendingPathComponent(item), to: site.appendingPathComponent(item))
        }
        let home = TestBuild.temporaryFolder("home")
        try fm.createDirectory(at: home, withIntermediateDirectories: true)
        let output = TestBuild.temporaryFolder("public")
        let build = try Command.run(dist.appendingPathComponent("monarch").path,
                                    ["build", "--site", site.path, "--output", output.path],
                                    environment: Release.cleanEnvironment(home: home))
        #expect(build.status == 0, "\(build.err)")
        #expect(!build.err.contains("error:"), "\(build.err)")
        for path in ["index.html", "en/index.html", "th/police/index.html", "assets/monarch.css", "sitemap.xml"] {
            #expect(fm.fileExists(atPath: output.appendingPathComponent(path).path), "\(path)")
        }
        let pdfs = (fm.enumerator(atPath: output.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".pdf") }
        #expect(!pdfs.isEmpty, "the example site's pamphlets")
    }
}

import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Issue #5, point 6: the offline page, its service worker and file list, and the portable
/// copy with its zip. Tests/Browser/test_offline.py proves the worker and the copy in Chromium.
@Suite("Offline and portable")
struct OfflineTests {
    var result: BuildResult { ExampleSiteTests.build }

    @Test(arguments: ExampleSiteTests.languages)
    func everyLanguageHasAnOfflinePageThatExplainsTheTraceWithoutJavaScript(key: String) throws {
        try #require(result.succeeded)
        let strings = try String(contentsOf: Repo.root.appendingPathComponent("translations/\(key).yaml"), encoding: .utf8)
        func string(_ name: String) throws -> String {
            let line = try #require(strings.split(separator: "\n").first { $0.hasPrefix(name + ": ") }, "\(key): no \(name)")
            return String(line.dropFirst(name.count + 2).dropFirst().dropLast())
        }
        let html = try result.text("\(key)/offline/index.html")
        for name in ["offline_title", "offline_intro", "offline_trace_heading", "offline_trace", "offline_nojs", "offline_save"] {
            let text = try string(name)
            #expect(html.contains(HTMLEscapingForTests.escape(text)), "\(key): \(name) missing")
        }
        // The explanation is plain HTML; the controls wait for the script, which is loaded only here.
        #expect(html.contains("<div id=\"offline-controls\" class=\"offline-controls\""))
        #expect(html.contains("hidden>\n<p id=\"offline-status\" role=\"status\"></p>"))
        #expect(html.contains("<p id=\"offline-nojs\" class=\"note\">"))
        #expect(html.contains("<script src=\"../../assets/offline.js\" defer></script>"))
        #expect(html.contains("data-list=\"../../offline/\(key).json\""))
        // Every page links it; no other page loads the script.
        let hotlines = try result.text("\(key)/help/hotlines/index.html")
        #expect(hotlines.contains("<a href=\"../../offline/\">\(try string("offline_link"))</a>"))
        #expect(!hotlines.contains("offline.js"))
        // The switcher leads to the offline page of each language.
        for other in ExampleSiteTests.languages where other != key {
            #expect(html.contains("href=\"../../\(other)/offline/\""), "\(key): no link to \(other)'s offline page")
        }
    }

    @Test func theWorkerIsAtTheRootAndTheListHoldsTheLanguagesPagesButNoPDFs() throws {
        try #require(result.succeeded)
        #expect(result.exists("sw.js"))
        #expect(!result.exists("assets/sw.js"))
        let worker = try result.text("sw.js")
        #expect(worker.contains("addEventListener('fetch'"))
        #expect(!worker.contains("http:") && !worker.contains("https:"))
        let script = try result.text("assets/offline.js")
        #expect(script.contains("navigator.serviceWorker.register"))
        #expect(script.contains("addEventListener('click'"))
        #expect(!script.contains("localStorage") && !script.contains("document.cookie"))
        // register() only inside the click handler.
        let register = try #require(script.range(of: "serviceWorker.register"))
        let click = try #require(script.range(of: "save.addEventListener('click'"))
        #expect(click.lowerBound < register.lowerBound)

        let data = try Data(contentsOf: result.output.appendingPathComponent("offline/th.json"))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String]])
        let files = try #require(list["files"])
        #expect(files.contains("th/police/police-stop/"))
        #expect(files.contains("th/offline/"))
        #expect(files.contains(""))
        #expect(files.contains("assets/monarch.css") && files.contains("assets/offline.js") && files.contains("search/th/index.json")
                && files.contains("search/th/s/0.json") && files.contains("search/th/p/0.json"))
        #expect(!files.contains { $0.hasSuffix(".pdf") || $0.hasPrefix("en/") || $0 == "sw.js" })
        for file in files {
            let path = file.isEmpty || file.hasSuffix("/") ? file + "index.html" : file
            #expect(result.exists(path.removingPercentEncoding ?? path), "\(file) is listed but not written")
        }
    }

    @Test func offlineFalseWritesNoneOfIt() throws {
        let site = try SafetyTests.copyOfExampleSite(siteYAMLAddition: "offline: false\n")
        let built = TestBuild.build(site)
        #expect(built.succeeded, "\(built.diagnostics)")
        #expect(!built.exists("sw.js") && !built.exists("assets/sw.js") && !built.exists("en/offline/index.html"))
        #expect(!built.exists("offline/en.json"))
        #expect(!(try built.text("en/index.html")).contains("offline/"))
    }

    // MARK: - Portable

    static let portable: (output: URL, folder: URL, zip: URL, succeeded: Bool) = {
        let output = TestBuild.temporaryFolder("public")
        let builder = SiteBuilder(siteFolder: Repo.root, outputFolder: output, builtInTheme: Repo.root,
                                  diagnostics: DiagnosticsEngine())
        let summary = builder.runPortable()
        let (folder, zip) = PortableCopy.locations(output: output)
        return (output, folder, zip, summary != nil)
    }()

    @Test func thePortableCopysEveryRelativeLinkNamesAFileThatExists() throws {
        let portable = Self.portable
        try #require(portable.succeeded)
        let pages = FileList.files(in: portable.folder).filter { $0.hasSuffix(".html") }
        #expect(pages.count > 90)
        var checked = 0
        for page in pages {
            let html = try String(contentsOf: portable.folder.appendingPathComponent(page), encoding: .utf8)
            let folder = URL(fileURLWithPath: portable.folder.appendingPathComponent(page).path).deletingLastPathComponent()
            for match in html.matches(of: #/\b(?:href|src)="([^"]*)"/#) {
                let value = String(match.output.1)
                if value.hasPrefix("#") || value.contains(":") { continue }
                #expect(!value.hasPrefix("/"), "\(page): \(value) is absolute")
                let path = String(value.prefix { $0 != "#" && $0 != "?" })
                let target = folder.appendingPathComponent(path.removingPercentEncoding ?? path).standardizedFileURL
                var isFolder: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder)
                #expect(exists && !isFolder.boolValue, "\(page): \(value) does not name a file")
                checked += 1
            }
        }
        #expect(checked > 1000)
        #expect(!FileManager.default.fileExists(atPath: portable.folder.appendingPathComponent("sw.js").path))
        #expect(!FileManager.default.fileExists(atPath: portable.folder.appendingPathComponent("offline/en.json").path))
        // The web output is written as usual beside it.
        #expect(FileManager.default.fileExists(atPath: portable.output.appendingPathComponent("sw.js").path))
        #expect(try String(contentsOf: portable.output.appendingPathComponent("en/index.html"), encoding: .utf8).contains("href=\"police/\""))
    }

    @Test func theZipHoldsThePortableCopyAndUnzips() throws {
        let portable = Self.portable
        try #require(portable.succeeded)
        #expect(try Tool.run("unzip", ["-tq", portable.zip.path]).contains("No errors detected"))
        let listing = try Tool.run("unzip", ["-Z1", portable.zip.path]).split(separator: "\n").map(String.init)
        let top = portable.folder.lastPathComponent
        let files = FileList.files(in: portable.folder)
        #expect(Set(listing) == Set(files.map { "\(top)/\($0)" }))
        let page = "en/help/hotlines/index.html"
        let inZip = try Tool.run("unzip", ["-p", portable.zip.path, "\(top)/\(page)"])
        #expect(inZip == (try String(contentsOf: portable.folder.appendingPathComponent(page), encoding: .utf8)))
        #expect(inZip.contains("href=\"../../police/your-phone/index.html\""))
    }

    @Test func rewritingLinks() {
        #expect(PortableCopy.fileAddress("../police/") == "../police/index.html")
        #expect(PortableCopy.fileAddress("../../") == "../../index.html")
        #expect(PortableCopy.fileAddress("../police/#rights") == "../police/index.html#rights")
        #expect(PortableCopy.fileAddress("..") == "../index.html")
        #expect(PortableCopy.fileAddress("assets/monarch.css") == "assets/monarch.css")
        #expect(PortableCopy.fileAddress("#main") == "#main")
        #expect(PortableCopy.fileAddress("tel:+16045550134") == "tel:+16045550134")
        #expect(PortableCopy.fileAddress("https://example.org/") == "https://example.org/")
        #expect(PortableCopy.fileAddress("/maple-lantern/") == "/maple-lantern/")
        #expect(PortableCopy.rewriteLinks("<a href=\"x/\">x</a><img src=\"a/\" alt=\"\">") == "<a href=\"x/index.html\">x</a><img src=\"a/index.html\" alt=\"\">")
    }

    @Test func zipWriterOutputIsReadByUnzipIncludingStoredAndUTF8Names() throws {
        let folder = TestBuild.temporaryFolder("zip")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = Data(String(repeating: "สิทธิของคุณ rights ", count: 500).utf8)
        let tiny = Data("a".utf8)
        var random = SystemRandomNumberGenerator()
        let noise = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
        let archive = ZipWriter.archive([.init(name: "top/th/สิทธิ.txt", data: text), .init(name: "top/a.txt", data: tiny),
                                         .init(name: "top/noise.bin", data: noise), .init(name: "top/empty", data: Data())],
                                        date: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(archive.count < text.count, "the text was not deflated")
        let zip = folder.appendingPathComponent("t.zip")
        try archive.write(to: zip)
        #expect(try Tool.run("unzip", ["-tq", zip.path]).contains("No errors detected"))
        #expect(try Tool.run("unzip", ["-p", zip.path, "top/th/สิทธิ.txt"]) == String(decoding: text, as: UTF8.self))
        #expect(try Tool.run("unzip", ["-p", zip.path, "top/a.txt"]) == "a")
        #expect(try Tool.run("unzip", ["-Z", "-l", zip.path]).contains("stor"))
        #expect(ZipWriter.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(ZipWriter.archive([.init(name: "x", data: text)], date: Date(timeIntervalSince1970: 0))
                == ZipWriter.archive([.init(name: "x", data: text)], date: Date(timeIntervalSince1970: 0)))
    }

    /// A file over `ZipWriter.wholeFileLimit` is streamed into the archive, stored.
    @Test func largeFilesAreStreamedIntoTheZip() throws {
        let folder = TestBuild.temporaryFolder("zip")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let large = folder.appendingPathComponent("large.bin")
        var random = SystemRandomNumberGenerator()
        let block = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) })
        FileManager.default.createFile(atPath: large.path, contents: nil)
        let handle = try FileHandle(forWritingTo: large)
        for _ in 0..<((ZipWriter.wholeFileLimit >> 20) + 1) { handle.write(block) }
        try handle.close()
        let zip = folder.appendingPathComponent("t.zip")
        try ZipWriter.write([.init(name: "top/a.txt", data: Data("a".utf8)), .init(name: "top/large.bin", source: large)],
                            date: Date(timeIntervalSince1970: 1_700_000_000), to: zip.path)
        #expect(try Tool.run("unzip", ["-tq", zip.path]).contains("No errors detected"))
        #expect(try Tool.run("unzip", ["-Z", "-l", zip.path]).contains("stor"))
        #expect(PortableCopy.zipRefusal(zip) == nil, "the archive carries monarch's comment")
    }
}

enum HTMLEscapingForTests {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

import Foundation
import TestSupport
import Testing
import MonarchCore
import MonarchSite
@testable import MonarchServe

/// `monarch serve` for real: a copy of the i18n fixture served on 127.0.0.1 and an ephemeral
/// port, requested over raw sockets, edited on disk, rebuilt by the watcher.
@Suite("Preview server", .serialized)
struct PreviewServerTests {
    @Test func contentTypesAndCharsets() async throws {
        let files: [(String, String)] = [
            ("style.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("icon.svg", "image/svg+xml; charset=utf-8"),
            ("leaflet.pdf", "application/pdf"),
            ("photo.png", "image/png"),
            ("photo.jpg", "image/jpeg"),
            ("photo.webp", "image/webp"),
            ("data.json", "application/json; charset=utf-8"),
            ("feed.xml", "application/xml; charset=utf-8"),
        ]
        try await withPreview(prepare: { site in
            let folder = site.appendingPathComponent("static/files")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, _) in files where !name.hasPrefix("photo.") { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
            // Images must be images: the preview serves Monarch's own copy of each (issue #19).
            let halves = site.appendingPathComponent("halves.jpg")
            try TestPhotos.halves(to: halves)
            for name in ["photo.png", "photo.jpg", "photo.webp"] {
                _ = try Command.run("/usr/bin/vips", ["copy", halves.path, folder.appendingPathComponent(name).path])
            }
            try FileManager.default.removeItem(at: halves)
        }) { fixture in
            for (name, type) in files {
                let reply = try await fixture.get("/files/\(name)")
                #expect(reply.status == 200, "\(name)")
                #expect(reply.header("Content-Type") == type, "\(name)")
                if !name.hasPrefix("photo.") { #expect(reply.text == "x") }
            }
            let home = try await fixture.get("/en/")
            #expect(home.status == 200)
            #expect(home.header("Content-Type") == "text/html; charset=utf-8")
            #expect(home.header("Cache-Control") == "no-store")
            #expect(try await fixture.get("/sitemap.xml").header("Content-Type") == "application/xml; charset=utf-8")
            #expect(try await fixture.get("/assets/monarch.css").header("Content-Type") == "text/css; charset=utf-8")
            #expect(try await fixture.get("/en/rights/map.png").header("Content-Type") == "image/png")
            #expect(try await fixture.get("/__monarch/live.js").header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(try await fixture.get("/__monarch/errors").header("Content-Type") == "application/json; charset=utf-8")
            let head = try await fixture.get("/en/", method: "HEAD")
            #expect(head.status == 200)
            #expect(Int(head.header("Content-Length") ?? "") == home.body.count)
            #expect(try await fixture.get("/en/", method: "POST").status == 405)
        }
    }

    @Test func foldersIndexesAndRedirects() async throws {
        try await withPreview { fixture in
            let chooser = try await fixture.get("/")
            #expect(chooser.status == 200)
            #expect(chooser.text.contains("简体中文"))
            let redirect = try await fixture.get("/en/rights?x=1")
            #expect(redirect.status == 301)
            #expect(redirect.header("Location") == "/en/rights/?x=1")
            #expect(try await fixture.get("/en/rights/").text.contains("Your rights"))
            #expect(try await fixture.get("/en/rights/index.html").status == 200)
            let thai = try await fixture.get("/th/rights/police/")
            #expect(thai.status == 200)
            #expect(thai.text.contains("ถ้าตำรวจเรียกตรวจ"))
            let missing = try await fixture.get("/en/nowhere/")
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type") == "text/html; charset=utf-8")
            #expect(missing.text.contains("/__monarch/live.js"), "the 404 page reloads too")
        }
    }

    @Test func pathsOutsideTheOutputAre404() async throws {
        try await withPreview { fixture in
            let secret = try fixture.read("site.yaml")
            let targets = [
                "/../site.yaml", "/../../site.yaml", "/en/../../site.yaml", "/assets/../../site.yaml",
                "/%2e%2e/site.yaml", "/%2E%2E/%2e%2e/site.yaml", "/.%2e/site.yaml", "/%2e./site.yaml",
                "/en/%2e%2e/%2e%2e/site.yaml", "/..%2fsite.yaml", "/en/..%2f..%2fsite.yaml", "/..%2Fsite.yaml",
                "/%2fetc%2fpasswd", "/en/%2F..%2F..%2Fsite.yaml",
                "/..\\site.yaml", "/en\\..\\..\\site.yaml", "/%5c..%5csite.yaml", "/..%5C..%5Csite.yaml",
                "//etc/passwd", "/etc/passwd", "/proc/self/environ", "/en/./index.html", "/en/%00/index.html",
                "/%252e%252e/site.yaml", "/%c0%ae%c0%ae/site.yaml",
                "http://127.0.0.1/../site.yaml", "file:///etc/passwd", "*",
            ]
            for target in targets {
                let reply = try await fixture.get(target)
                #expect(reply.status == 404, "\(target) -> \(reply.status)")
                #expect(!reply.text.contains("Fixture Network\nbase_url"), "\(target)")
                #expect(!reply.text.contains(secret), "\(target)")
                #expect(!reply.text.contains("root:x:0:0"), "\(target)")
            }
        }
    }

    @Test func anEditReloadsTheTabAndServesTheNewPage() async throws {
        try await withPreview { fixture in
            let tab = try await EventListener(port: fixture.port)
            _ = try await tab.next("hello")
            let before = try await fixture.get("/th/rights/police/")
            #expect(before.text.contains("คุณมีสิทธิที่จะเงียบ"))

            let page = "content/th/rights/police.md"
            try fixture.write(page, try fixture.read(page).replacingOccurrences(of: "คุณมีสิทธิที่จะเงียบ", with: "คุณมีสิทธิที่จะไม่ตอบ"))
            let reload = try await tab.next("reload")
            // The page, and its file and the shard its new words are in, in the Thai search index
            // (search is on by default: the fixture gets a made search page).
            #expect(reload.json["changed"] as? [String] == ["search/th/p/2.json", "search/th/s/0.json", "th/rights/police/index.html"])
            let after = try await fixture.get("/th/rights/police/")
            #expect(after.text.contains("คุณมีสิทธิที่จะไม่ตอบ"))
            #expect(!after.text.contains("คุณมีสิทธิที่จะเงียบ"))
        }
    }

    @Test func aBrokenEditKeepsTheLastGoodPageAndShowsTheError() async throws {
        try await withPreview { fixture in
            let tab = try await EventListener(port: fixture.port)
            _ = try await tab.next("hello")
            let good = try await fixture.get("/en/help/hotlines/")
            #expect(good.text.contains("604-555-0142"))
            let builds = fixture.server.reports.count

            let page = "content/en/help/hotlines.md"
            let original = try fixture.read(page)
            try fixture.write(page, original.replacingOccurrences(of: "title: Hotlines", with: "titel: Hotlines")
                .replacingOccurrences(of: "604-555-0142", with: "604-555-0199"))
            let report = try await fixture.build(after: builds)
            #expect(!report.succeeded)
            let expected = "content/en/help/hotlines.md:2:1: error: unknown front matter key 'titel'; did you mean 'title'?"

            let event = try await tab.next("errors")
            let texts = (event.json["diagnostics"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
            #expect(texts?.contains(expected) == true, "\(event.data)")

            let errors = try await fixture.get("/__monarch/errors")
            let json = try #require(try JSONSerialization.jsonObject(with: errors.body) as? [String: Any])
            #expect(json["ok"] as? Bool == false)
            let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
            #expect(diagnostics.contains { $0["text"] as? String == expected })
            #expect(diagnostics.contains { $0["path"] as? String == page && $0["line"] as? Int == 2 && $0["column"] as? Int == 1 })

            let stale = try await fixture.get("/en/help/hotlines/")
            #expect(stale.status == 200)
            #expect(stale.text.contains("604-555-0142"), "the last good page stays served")
            #expect(!stale.text.contains("604-555-0199"))

            // Fixing it clears the overlay and reloads.
            try fixture.write(page, original.replacingOccurrences(of: "604-555-0142", with: "604-555-0199"))
            let cleared = try await tab.next("errors")
            #expect((cleared.json["diagnostics"] as? [Any])?.isEmpty == true)
            let reload = try await tab.next("reload")
            #expect((reload.json["changed"] as? [String])?.contains("en/help/hotlines/index.html") == true)
            #expect(try await fixture.get("/en/help/hotlines/").text.contains("604-555-0199"))
            let ok = try JSONSerialization.jsonObject(with: try await fixture.get("/__monarch/errors").body) as? [String: Any]
            #expect(ok?["ok"] as? Bool == true)
        }
    }

    @Test func theReloadScriptIsOnlyInServedHTML() async throws {
        try await withPreview { fixture in
            let served = try await fixture.get("/en/rights/police/")
            let tag = #"<script src="/__monarch/live.js" data-page="en/rights/police/index.html"></script></body>"#
            #expect(served.text.contains(tag))
            #expect(served.text.components(separatedBy: "/__monarch/live.js").count == 2, "injected once")
            #expect(!(try await fixture.get("/assets/monarch.css").text.contains("__monarch")))
            #expect(!(try await fixture.get("/sitemap.xml").text.contains("__monarch")))

            // What the preview keeps in memory is the build's output as is, without the script...
            let snapshot = try #require(fixture.server.currentSnapshot)
            for (path, data) in snapshot.files {
                #expect(!String(decoding: data, as: UTF8.self).contains("__monarch"), "\(path)")
            }
            // ...and what monarch build publishes never has it.
            let output = fixture.site.deletingLastPathComponent().appendingPathComponent("public")
            let diagnostics = DiagnosticsEngine()
            let summary = SiteBuilder(siteFolder: fixture.site, outputFolder: output, builtInTheme: Repo.root,
                                      diagnostics: diagnostics).run()
            #expect(summary != nil, "\(diagnostics.diagnostics)")
            let published = FileList.files(in: output)
            #expect(published.count == snapshot.files.count)
            #expect(Set(published) == Set(snapshot.files.keys), "the preview serves exactly the files a build writes")
            for path in published {
                let data = try Data(contentsOf: output.appendingPathComponent(path))
                #expect(!String(decoding: data, as: UTF8.self).contains("__monarch"), "\(path)")
                #expect(data == snapshot[path], "\(path) is served as built")
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.site.appendingPathComponent("public").path),
                    "serve writes nothing into the site folder")
        }
    }

    @Test func editingOnePageBodyChangesOnlyThatPage() async throws {
        try await withPreview { fixture in
            var builds = fixture.server.reports.count

            let thai = "content/th/rights/police.md"
            try fixture.write(thai, try fixture.read(thai) + "\nเพิ่มเติม\n")
            var report = try await fixture.build(after: builds)
            #expect(report.succeeded)
            #expect(report.sources == [thai])
            #expect(report.changes == OutputChanges(changed: ["search/th/p/2.json", "search/th/s/0.json", "th/rights/police/index.html"]))
            builds = report.number

            // A source-language page's body is also the body of its fallback pages (zh-hans has
            // no police.md), and of nothing else.
            let english = "content/en/rights/police.md"
            try fixture.write(english, try fixture.read(english).replacingOccurrences(of: "You can stay silent.", with: "You may stay silent."))
            report = try await fixture.build(after: builds)
            #expect(report.changes == OutputChanges(changed: ["en/rights/police/index.html", "search/en/p/3.json", "search/en/s/0.json",
                                                              "zh-hans/rights/police/index.html"]))
            builds = report.number

            // Saving without a change to the output reloads nothing.
            try fixture.write(english, try fixture.read(english) + "\n")
            report = try await fixture.build(after: builds)
            #expect(report.succeeded)
            #expect(report.changes.isEmpty)
        }
    }

    @Test func changingATitleChangesTheListsThatShowIt() async throws {
        try await withPreview { fixture in
            let builds = fixture.server.reports.count

            let english = "content/en/rights/police.md"
            try fixture.write(english, try fixture.read(english).replacingOccurrences(of: "---\ndescription:", with: "---\ntitle: Stopped by the police\ndescription:"))
            let report = try await fixture.build(after: builds)
            #expect(report.succeeded)
            #expect(report.changes == OutputChanges(changed: [
                "en/rights/index.html",               // the section's list
                "en/rights/police/index.html",        // the page
                "en/search/index.html",               // the made search page's list of every page
                "search/en/p/3.json",                 // the page's file in the search index
                "search/en/s/0.json",                 // and the shard its title's words are in
                "zh-hans/rights/index.html",          // zh-hans lists its fallback page, in English
                "zh-hans/rights/police/index.html",   // the fallback page itself
                "zh-hans/search/index.html",          // and so does its search page
            ]), "\(report.changes)")
            // The Thai translation is its own page: its switcher names languages, not titles, so
            // it is rightly untouched.
            #expect(!report.changes.all.contains("th/rights/police/index.html"))
            let list = try await fixture.get("/en/rights/")
            #expect(list.text.contains("Stopped by the police"))

            // A new translation adds its page and changes the switchers and alternates of the
            // pages it translates, and the list of its section.
            let count = fixture.server.reports.count
            try fixture.write("content/zh-hans/rights/police.md", "---\ntitle: 警察拦截你时\n---\n你可以保持沉默。\n")
            let added = try await fixture.build(after: count)
            #expect(added.changes.changed.contains("en/rights/police/index.html"), "hreflang alternates")
            #expect(added.changes.changed.contains("th/rights/police/index.html"), "hreflang alternates")
            #expect(added.changes.changed.contains("zh-hans/rights/index.html"), "the zh-hans list shows the new title")
            #expect(added.changes.changed.contains("zh-hans/rights/police/index.html"), "no longer a fallback page")
            #expect(added.changes.changed.contains("sitemap.xml"))
            #expect(!added.changes.changed.contains("en/help/hotlines/index.html"))
        }
    }

    @Test func stoppingClosesTabsAndCleansUp() async throws {
        let fixture = try await PreviewFixture()
        let tab = try await EventListener(port: fixture.port)
        _ = try await tab.next("hello")
        _ = try await poll(timeout: 60, "the tab to be counted") { fixture.server.liveConnections == 1 ? true : nil }
        await fixture.close()
        #expect(fixture.server.liveConnections == 0)
        await #expect(throws: (any Error).self) { _ = try await tab.next("reload", timeout: 5) }
        await #expect(throws: (any Error).self) { _ = try await fixture.get("/") }
    }

    @Test func aSiteThatNeverBuiltShowsItsErrors() async throws {
        try await withPreview(prepare: { site in
            let page = site.appendingPathComponent("content/en/index.md")
            let text = try String(contentsOf: page, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "title: Fixture home", with: "titel: Fixture home").utf8).write(to: page)
        }) { fixture in
            let page = try await fixture.get("/en/")
            #expect(page.status == 503)
            #expect(page.text.contains("content/en/index.md:2:1: error: unknown front matter key &#39;titel&#39;") ||
                    page.text.contains("content/en/index.md:2:1: error: unknown front matter key 'titel'"))
            #expect(page.text.contains("/__monarch/live.js"))
            let tab = try await EventListener(port: fixture.port)
            try fixture.write("content/en/index.md", try fixture.read("content/en/index.md").replacingOccurrences(of: "titel:", with: "title:"))
            let reload = try await tab.next("reload")
            #expect((reload.json["changed"] as? [String])?.contains("en/index.html") == true)
            #expect(try await fixture.get("/en/").status == 200)
        }
    }
}

@Suite("Preview pieces")
struct PreviewPiecesTests {
    @Test func requestPaths() {
        #expect(RequestPath(rawPath: "/") == RequestPath(rawPath: "/"))
        #expect(RequestPath(rawPath: "/")?.indexFile == "index.html")
        #expect(RequestPath(rawPath: "/en")?.namesFolder == false)
        #expect(RequestPath(rawPath: "/en/")?.indexFile == "en/index.html")
        #expect(RequestPath(rawPath: "/th/%E0%B8%AA%E0%B8%B4%E0%B8%97%E0%B8%98%E0%B8%B4/")?.path == "th/สิทธิ")
        #expect(RequestPath(rawPath: "/th/สิทธิ")?.encoded == "/th/%E0%B8%AA%E0%B8%B4%E0%B8%97%E0%B8%98%E0%B8%B4")
        for bad in ["", "en", "/..", "/a/../b", "/%2e%2e", "/a%2fb", "/a%5cb", "/a\\b", "//a", "/a//b", "/a/%00", "/%ff", "/./a"] {
            #expect(RequestPath(rawPath: bad) == nil, "\(bad)")
        }
    }

    @Test func injection() {
        let html = Data("<html><body><p>x</p></BODY>\n</html>\n".utf8)
        let out = String(decoding: LiveReload.inject(into: html, page: "en/index.html"), as: UTF8.self)
        #expect(out == "<html><body><p>x</p><script src=\"/__monarch/live.js\" data-page=\"en/index.html\"></script></BODY>\n</html>\n")
        let bare = String(decoding: LiveReload.inject(into: Data("<p>x".utf8), page: "a\"b"), as: UTF8.self)
        #expect(bare == "<p>x<script src=\"/__monarch/live.js\" data-page=\"a&quot;b\"></script>")
        // A page path from a file name whose quote carries a combining mark still closes nothing.
        let marked = String(decoding: LiveReload.inject(into: Data("<p>x".utf8), page: "a\"\u{301} onload=b"), as: UTF8.self)
        #expect(marked == "<p>x<script src=\"/__monarch/live.js\" data-page=\"a&quot;\u{301} onload=b\"></script>")
    }

    @Test func contentTypes() {
        #expect(ContentType.of("en/index.html") == "text/html; charset=utf-8")
        #expect(ContentType.of("a/B.PNG") == "image/png")
        #expect(ContentType.of("a/photo.jpeg") == "image/jpeg")
        #expect(ContentType.of("a/.hidden") == "application/octet-stream")
        #expect(ContentType.of("a/noextension") == "application/octet-stream")
    }

    #if os(Linux)
    @Test func inotifyWakesTheWatcherAtASave() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-wake-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        let watcher = SourceWatcher(siteFolder: site)
        var folders: [String: UInt64] = [:]
        _ = watcher.scan(folders: &folders)
        #expect(Set(folders.keys) == [site.path, site.path + "/content", site.path + "/content/en"])
        let wake = try #require(SourceWatcher.Wake())
        wake.watch(folders)
        #expect(!wake.wait(0.01))
        try Data("a".utf8).write(to: site.appendingPathComponent("content/en/a.md"))
        #expect(wake.wait(5))
        #expect(!wake.wait(0.01), "every event was read")
        // A new folder is watched from the next scan on.
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/en/sub"), withIntermediateDirectories: true)
        #expect(wake.wait(5))
        folders = [:]
        _ = watcher.scan(folders: &folders)
        wake.watch(folders)
        try Data("b".utf8).write(to: site.appendingPathComponent("content/en/sub/b.md"))
        #expect(wake.wait(5))
        try Data("title: x\n".utf8).write(to: site.appendingPathComponent("site.yaml"))
        #expect(wake.wait(5))
    }
    #endif

    @Test func watcherSeesEditsRenamesAndNewFilesButNotHiddenOnes() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try Data("title: x\n".utf8).write(to: site.appendingPathComponent("site.yaml"))
        try Data("a".utf8).write(to: site.appendingPathComponent("content/en/a.md"))
        let watcher = SourceWatcher(siteFolder: site)
        let first = watcher.scan()
        #expect(first.keys.sorted() == ["content/en/a.md", "site.yaml"])
        try Data("b".utf8).write(to: site.appendingPathComponent("content/en/.a.md.swp"))
        #expect(watcher.scan() == first)
        try Data("bb".utf8).write(to: site.appendingPathComponent("content/en/a.md"))
        let second = watcher.scan()
        #expect(SourceWatcher.differences(first, second) == ["content/en/a.md"])
        try FileManager.default.createDirectory(at: site.appendingPathComponent("static/img"), withIntermediateDirectories: true)
        try Data("c".utf8).write(to: site.appendingPathComponent("static/img/c.png"))
        #expect(SourceWatcher.differences(second, watcher.scan()) == ["static/img/c.png"])
    }
}

import Foundation
import MonarchSite
import TestSupport
import Testing
import Yams

/// The workflows `monarch init --ci HOST` writes (issue #21, point 4): YAML each host reads, and
/// whose commands build the site, run here in a fresh folder, offline: the site carries
/// monarch.tar.gz (as docs/publishing.md offers), and every Debian package it lists is
/// installed already, so the script installs nothing.
@Suite("Publishing workflows")
struct PublishWorkflowTests {
    /// The shell scripts a workflow runs, in order, as the shell gets them.
    static func scripts(_ host: PublishWorkflow.Host) throws -> [String] {
        let yaml = try #require(try Yams.load(yaml: PublishWorkflow.text(for: host)) as? [String: Any])
        switch host {
        case .github:
            let jobs = try #require(yaml["jobs"] as? [String: Any])
            let build = try #require(jobs["build"] as? [String: Any])
            #expect(build["container"] as? String == "debian:bookworm")
            let steps = try #require(build["steps"] as? [[String: Any]])
            #expect(steps.compactMap { $0["uses"] as? String }.contains { $0.hasPrefix("actions/upload-pages-artifact") })
            let deploy = try #require(jobs["deploy"] as? [String: Any])
            #expect((deploy["steps"] as? [[String: Any]])?.first?["uses"] as? String == "actions/deploy-pages@v4")
            return steps.compactMap { $0["run"] as? String }
        case .gitlab:
            let pages = try #require(yaml["pages"] as? [String: Any])
            #expect(pages["image"] as? String == "debian:bookworm")
            #expect((pages["artifacts"] as? [String: Any])?["paths"] as? [String] == ["public"])
            return try #require(pages["script"] as? [String])
        case .codeberg:
            let steps = try #require(yaml["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == ["build", "publish"])
            // Woodpecker turns $$ into $ before the shell runs the commands.
            return steps.flatMap { ($0["commands"] as? [String]) ?? [] }.map { $0.replacingOccurrences(of: "$$", with: "$") }
        }
    }

    @Test(arguments: PublishWorkflow.Host.allCases)
    func parsesAndRunsTheBuildScript(host: PublishWorkflow.Host) throws {
        let scripts = try Self.scripts(host)
        #expect(scripts.first?.trimmingCharacters(in: .newlines) == PublishWorkflow.buildScript, "\(scripts)")
        if host == .codeberg {
            #expect(scripts.last?.trimmingCharacters(in: .newlines) == PublishWorkflow.codebergPublishScript)
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Release.tarball.path), Comment(rawValue: Release.missing)))
    func theCommandsBuildAndPublishAFreshSite() throws {
        let work = TestBuild.temporaryFolder("ci")
        let home = work.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let dist = try Release.unpackedTarball()
        for host in PublishWorkflow.Host.allCases {
            let site = work.appendingPathComponent(host.rawValue)
            let initRun = try Command.run(dist.appendingPathComponent("monarch").path,
                                          ["init", site.path, "--languages", "en,ko", "--ci", host.rawValue],
                                          environment: Release.cleanEnvironment(home: home))
            #expect(initRun.status == 0, "\(initRun.err)")
            let written = try String(contentsOf: site.appendingPathComponent(host.path), encoding: .utf8)
            #expect(written == PublishWorkflow.text(for: host))
            try FileManager.default.copyItem(at: Release.tarball, to: site.appendingPathComponent("monarch.tar.gz"))

            var environment = Release.cleanEnvironment(home: home)
            let bare = work.appendingPathComponent("\(host.rawValue)-pages.git")
            environment["PAGES_REMOTE"] = bare.path
            if host == .codeberg { _ = try Command.tool("git", ["init", "-q", "--bare", bare.path]) }
            for script in try Self.scripts(host) {
                let run = try Command.run("/bin/sh", ["-c", "cd \"$SITE\" && " + script], environment: environment.merging(["SITE": site.path]) { $1 })
                #expect(run.status == 0, "\(host): \(run.err)")
                #expect(!run.err.contains("warning:"), "\(host): \(run.err)")
            }
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("public/ko/help/contacts/index.html").path), "\(host)")
            // .gitignore keeps what the workflow makes out of the repository.
            let ignored = try String(contentsOf: site.appendingPathComponent(".gitignore"), encoding: .utf8)
            #expect(ignored.contains("/public/") && ignored.contains("/.monarch/"))
            if host == .codeberg {
                let tree = try Command.tool("git", ["--git-dir", bare.path, "ls-tree", "-r", "--name-only", "pages"])
                #expect(tree.contains("ko/index.html") && tree.contains("index.html"), "\(tree)")
            }
        }
    }
}

import Foundation
import TestSupport
import Testing
import MonarchCore

/// A build killed with SIGKILL at any moment leaves the output folder exactly as the previous
/// complete build; the next build cleans up the staging leftovers and succeeds.
@Suite("Killed mid-build", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct KilledBuildTests {
    @Test func fiftyKillsNeverLeaveAHalfWrittenSite() throws {
        let output = TestBuild.temporaryFolder("public")
        // --no-cache: every build does the whole work (an unchanged site would otherwise be
        // finished in milliseconds, and the kills would land after it).
        let arguments = ["build", "--site", Repo.root.path, "--output", output.path, "--quiet", "--no-cache"]
        let started = Date()
        #expect(try TestBuild.run(arguments).status == 0)
        let duration = Date().timeIntervalSince(started)
        let complete = TestBuild.snapshot(output)
        #expect(complete.count > 80)

        var moments: [Double] = []
        for _ in 0..<50 {
            // Anywhere from process start to a little past a whole build.
            let delay = Double.random(in: 0...(duration * 1.3))
            moments.append(delay)
            let process = TestBuild.process(arguments)
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let same = TestBuild.snapshot(output) == complete
            #expect(same, "after a kill at \(String(format: "%.3f", delay)) s the output is not the last complete build")
            if !same { break }
        }
        #expect(try TestBuild.run(arguments).status == 0, "the next build succeeds")
        let same = TestBuild.snapshot(output) == complete
        #expect(same)
        // What the killed builds left in the staging folder was made exact again: it now holds
        // the output before last, which the next build reuses. Nothing else is left behind but
        // the image cache (issue #19), whose unknown files each completed build removes.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        #expect(Set(siblings).isSubset(of: ["public", ".public.monarch-staging", ".public.monarch-lock", ".public.monarch-images"]),
                "leftovers: \(siblings)")
        if siblings.contains(".public.monarch-staging") {
            #expect(TestBuild.snapshot(OutputFolder(output).staging) == complete)
        }
    }
}

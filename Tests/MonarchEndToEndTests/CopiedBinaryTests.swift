import Foundation
import TestSupport
import Testing

/// A binary copied out of its checkout cannot find the built-in theme (until it carries it,
/// issue #21): the build says so once, with where it looked and what to do, instead of an
/// error for every template and string (issue #18, point 10).
@Suite("A copied binary without its theme", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct CopiedBinaryTests {
    @Test func oneErrorSaysWhereItLookedAndWhatToDo() throws {
        let folder = TestBuild.temporaryFolder("bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("monarch")
        try FileManager.default.copyItem(at: Repo.monarchBinary, to: binary)
        let site = try TestBuild.homeSite()
        let output = TestBuild.temporaryFolder("public")

        let run = try Command.run(binary.path, ["build", "--site", site.path, "--output", output.path],
                                  environment: ["MONARCH_HOME": nil])
        #expect(run.status != 0)
        let errors = run.err.split(separator: "\n").filter { $0.contains("error:") }
        #expect(errors.count == 1, "\(run.err)")
        #expect(run.err.contains("built-in theme") && run.err.contains("MONARCH_HOME is not set")
                && run.err.contains(folder.path), "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: output.path))

        let wrong = try Command.run(binary.path, ["build", "--site", site.path, "--output", output.path],
                                    environment: ["MONARCH_HOME": folder.path])
        #expect(wrong.status != 0)
        #expect(wrong.err.split(separator: "\n").filter { $0.contains("error:") }.count == 1, "\(wrong.err)")
        #expect(wrong.err.contains("MONARCH_HOME is \(folder.path)"), "\(wrong.err)")

        let right = try Command.run(binary.path, ["build", "--site", site.path, "--output", output.path],
                                    environment: ["MONARCH_HOME": Repo.root.path])
        #expect(right.status == 0, "\(right.err)")
    }
}

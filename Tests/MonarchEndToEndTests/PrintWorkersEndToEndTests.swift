import Foundation
import TestSupport
import Testing
import MonarchCore

/// Pamphlets printed by `monarch print-worker` processes (`PrintWorkers`) are the same bytes
/// as printed in one process, and the workers' folder is removed.
@Suite("Pamphlets in several processes, end to end", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct PrintWorkersEndToEndTests {
    @Test func workersPrintTheSameBytes() throws {
        let inProcess = TestBuild.build(Repo.root)
        try #require(inProcess.succeeded)
        let output = TestBuild.temporaryFolder("public")
        let run = try Command.run(Repo.monarchBinary.path, ["build", "--site", Repo.root.path, "--output", output.path, "--verbose", "--no-cache"],
                                  environment: ["MONARCH_HOME": Repo.root.path, "MONARCH_PRINT_PROCESSES": "3"])
        let log = run.err
        #expect(run.status == 0)
        let line = try #require(log.split(separator: "\n").first { $0.contains("worker processes") }, "\(log)")
        let counts = line.split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 3 && counts[1] > 5 && counts[2] == 2, "the two workers printed their share: \(line)")
        let pdfs = FileList.files(in: inProcess.output).filter { $0.hasSuffix(".pdf") }
        #expect(pdfs.count > 30)
        #expect(FileList.files(in: output).filter { $0.hasSuffix(".pdf") } == pdfs)
        for pdf in pdfs {
            let a = try Data(contentsOf: inProcess.output.appendingPathComponent(pdf))
            let b = try Data(contentsOf: output.appendingPathComponent(pdf))
            #expect(a == b, "\(pdf) differs when printed by a worker")
        }
        let scratch = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("monarch-print-\(run.processIdentifier)-") }
        #expect(scratch.isEmpty, "the workers' folder is removed")
    }
}

import Foundation

/// The repository's folders and the monarch binary, for every test target that builds sites.
public enum Repo {
    /// The repository root (this file is Tests/TestSupport/Repo.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    public static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    public static func site(_ name: String) -> URL { fixtures.appendingPathComponent("sites/\(name)") }
    public static func invalid(_ name: String) -> URL { fixtures.appendingPathComponent("invalid/\(name)") }
    /// The debug binary `swift build` makes; the end-to-end tests run it.
    public static var monarchBinary: URL { root.appendingPathComponent(".build/debug/monarch") }
}

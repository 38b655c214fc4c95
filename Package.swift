// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "Monarch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "monarch", targets: ["monarch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C libraries from Debian packages, one system-library target each.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CHarfBuzzSubset", pkgConfig: "harfbuzz-subset", providers: [.apt(["libharfbuzz-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CGumbo", pkgConfig: "gumbo", providers: [.apt(["libgumbo-dev"])]),
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),

        // Libraries: one pipeline, load -> parse -> assemble -> render -> write.
        .target(name: "MonarchCore", dependencies: [
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "MonarchMarkdown", dependencies: ["CCmark"]),
        .target(name: "MonarchContent", dependencies: [
            "MonarchCore", "MonarchMarkdown",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Images (issue #19): libvips, behind the one module that imports it.
        .target(name: "MonarchImages", dependencies: ["CVips"]),
        .target(name: "MonarchPrint", dependencies: ["MonarchCore", "MonarchMarkdown", "MonarchImages", "CPangoCairo", "CHarfBuzzSubset", "CQRencode"]),
        .target(name: "MonarchSite", dependencies: [
            "MonarchCore", "MonarchContent", "MonarchMarkdown", "MonarchPrint", "MonarchImages", "CGumbo",
            .product(name: "Mustache", package: "swift-mustache"),
        ], plugins: ["EmbedTheme"]),
        // The built-in theme (templates/, translations/) compiled into MonarchSite, so that the
        // binary carries it (EmbeddedTheme unpacks it); MONARCH_HOME overrides it.
        .executableTarget(name: "monarch-embed-theme", path: "Plugins/EmbedThemeTool"),
        .plugin(name: "EmbedTheme", capability: .buildTool(), dependencies: ["monarch-embed-theme"]),
        .target(name: "MonarchServe", dependencies: [
            "MonarchCore", "MonarchMarkdown", "MonarchSite",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),
        // What each fuzz target does with one input; FuzzRegressionTests replays saved inputs.
        .target(name: "MonarchFuzz", dependencies: ["MonarchCore", "MonarchContent", "MonarchMarkdown", "MonarchPrint"]),
        .executableTarget(name: "monarch", dependencies: [
            "MonarchCore", "MonarchContent", "MonarchSite", "MonarchServe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // What the test targets share: the one runner of programs (monarch and the tools that
        // read what it makes), the repository's folders, sites built for real.
        .target(name: "TestSupport", dependencies: ["MonarchSite", "MonarchCore"], path: "Tests/TestSupport"),
        .testTarget(name: "MonarchCoreTests", dependencies: ["MonarchCore"]),
        .testTarget(name: "MonarchImagesTests", dependencies: ["MonarchImages", "TestSupport"]),
        .testTarget(name: "MonarchMarkdownTests", dependencies: ["MonarchMarkdown"]),
        .testTarget(name: "MonarchContentTests", dependencies: ["MonarchContent", "MonarchCore", "MonarchMarkdown"]),
        .testTarget(name: "MonarchSiteTests", dependencies: [
            "MonarchSite", "MonarchCore", "MonarchContent", "TestSupport",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .testTarget(name: "MonarchPrintTests", dependencies: ["MonarchPrint", "MonarchMarkdown", "MonarchCore", "TestSupport"]),
        .testTarget(name: "MonarchFuzzTests", dependencies: ["MonarchFuzz"]),
        .testTarget(name: "MonarchServeTests", dependencies: ["MonarchServe", "MonarchSite", "MonarchCore", "TestSupport"]),
        // The tests that run the monarch binary as a process (build it first: `swift build`).
        .testTarget(name: "MonarchEndToEndTests", dependencies: ["MonarchSite", "MonarchCore", "MonarchContent", "TestSupport",
                                                              .product(name: "Yams", package: "Yams")]),
    ]
)

// libFuzzer targets (issue #6), only when MONARCH_FUZZ is set: `make fuzz` builds them with
// `-sanitize=fuzzer,address` into .build/fuzz. libFuzzer supplies `main`, so a normal build
// must never see them.
if ProcessInfo.processInfo.environment["MONARCH_FUZZ"] != nil {
    for name in ["markdown", "translations", "siteconfig", "pamphlet"] {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: ["MonarchFuzz"], path: "Fuzz/\(name)"))
    }
}

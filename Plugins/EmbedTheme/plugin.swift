import Foundation
import PackagePlugin

/// Writes the built-in theme (the package's `templates/` and `translations/`) into a Swift
/// file of the target it is applied to, so that the `monarch` binary carries it and works
/// copied alone anywhere. Every file of both folders is an input: an edit rebuilds.
@main
struct EmbedTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders = ["templates", "translations"].map { root.appendingPathComponent($0) }
        var inputs: [URL] = []
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                inputs.append(url)
            }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedThemeFiles.swift")
        return [.buildCommand(
            displayName: "Embedding the built-in theme (\(inputs.count) files)",
            executable: try context.tool(named: "monarch-embed-theme").url,
            arguments: [root.path, output.path] + folders.map(\.lastPathComponent),
            inputFiles: inputs,
            outputFiles: [output])]
    }
}

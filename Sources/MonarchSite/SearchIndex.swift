import Foundation
import MonarchContent
import MonarchCore

/// The per-language search index written at build time (issue #5). Empty for now.
enum SearchIndex {
    /// Files to add to the output: output path and bytes.
    static func files(graph: SiteGraph, strings: [String: [String: String]]) -> [(path: String, data: Data)] {
        []
    }
}

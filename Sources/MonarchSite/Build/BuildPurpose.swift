import Foundation

/// Why a site is built: the one thing that differs between `monarch build`, `monarch check`,
/// the preview and a print worker. Every step reads what it needs from it (whether to print
/// pamphlets, to measure page weights, to run the editorial checks, to reuse work), so that
/// no combination of settings has to be guarded by hand.
public enum BuildPurpose {
    /// `monarch build`: writes the output. With `cache`, skips the build or rebuilds only the
    /// changed pages when the build cache allows (`BuildCache`, `QuickRebuild`). With
    /// `printWorkers`, pamphlets are printed in that many processes. `pamphlets: false`
    /// leaves the PDFs and wallet cards out (tests that do not look at them, to stay fast).
    case build(cache: Bool = false, printWorkers: PrintWorkers? = nil, pamphlets: Bool = true)
    /// `monarch check`: every check of a build plus the editorial warnings; writes nothing.
    case check
    /// `monarch serve`: the web pages only (no PDFs, no page weights), reusing what the last
    /// build of this process made (`RenderMemo`).
    case preview(RenderMemo)
    /// `monarch print-worker`: only this share of the pamphlets (`PrintWorkers`).
    case printWorker(share: Int, of: Int)

    /// Whether the output is written (`SiteBuilder.run`).
    var writesOutput: Bool {
        if case .build = self { return true }
        return false
    }

    /// `monarch check`'s warnings: alt text, heading levels, missing translations.
    var editorialChecks: Bool {
        if case .check = self { return true }
        return false
    }

    /// PDFs and wallet cards: the preview leaves them out (they take seconds; run
    /// `monarch build` to see them).
    var printsPamphlets: Bool {
        switch self {
        case .build(_, _, let pamphlets): return pamphlets
        case .check, .printWorker: return true
        case .preview: return false
        }
    }

    /// Every page's gzipped weight (a warning over budget). It gzips every page, which costs
    /// as much as rendering them: the preview and the print workers leave it out.
    var measuresWeights: Bool {
        switch self {
        case .build, .check: return true
        case .preview, .printWorker: return false
        }
    }

    /// The preview's memory of its last build.
    var memo: RenderMemo? {
        if case .preview(let memo) = self { return memo }
        return nil
    }

    /// Whether the build cache may keep the output or rebuild only the changed pages.
    var usesCache: Bool {
        if case .build(let cache, _, _) = self { return cache }
        return false
    }

    var printWorkers: PrintWorkers? {
        if case .build(_, let workers, _) = self { return workers }
        return nil
    }

    /// A print worker's share of the pamphlets.
    var printShare: (index: Int, count: Int)? {
        if case .printWorker(let share, let count) = self { return (share, count) }
        return nil
    }
}

import Foundation
import MonarchContent
import MonarchCore
import MonarchImages
import MonarchMarkdown

/// The site's raster images (issue #19): every JPEG, PNG, WebP, GIF and HEIC file under
/// content/ and static/, read once per build. What pages need (sizes, the copies' addresses)
/// comes from the headers; the copies themselves are made only for a build that writes the
/// output (`outputs`), from the image cache when the same bytes were processed before.
struct SiteImages: Sendable {
    /// By path in the site folder (`content/en/clinic/map.png`).
    var plans: [String: ImagePlan] = [:]
    /// The SHA-256 of each image's bytes, by the same path.
    var digests: [String: String] = [:]

    static func isImage(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return ImageFormat.extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// Reads the header of every image of `site`; an image with a GPS position is a warning
    /// at the first page that shows it (else at the file), one that cannot be read an error.
    static func load(_ site: LoadedSite, siteFolder: URL, diagnostics: DiagnosticsEngine) -> SiteImages {
        var found: [(source: String, output: String)] = []
        for language in site.config.languages {
            for asset in site.content.assets[language.key] ?? [] where isImage(asset) {
                found.append(("content/\(language.key)/\(asset)", "\(language.key)/\(asset)"))
            }
        }
        for file in site.staticFiles where isImage(file) { found.append(("static/\(file)", file)) }
        let read = ParallelMap.map(found) { item -> Result<(ImageHeader, String), ImageFailure> in
            let path = siteFolder.appendingPathComponent(item.source).path
            var info = stat()
            if stat(path, &info) == 0, let problem = ImageLimits.fileSizeProblem(bytes: Int(info.st_size)) { return .failure(problem) }
            guard let data = FileManager.default.contents(atPath: siteFolder.appendingPathComponent(item.source).path) else {
                return .failure(ImageFailure("the file cannot be read; check that it is readable"))
            }
            return Result { () throws(ImageFailure) in (try ImageHeader.read(data), SourceHash.digest(data: data)) }
        }
        var images = SiteImages()
        var positions: [String] = []
        var failures: [(String, ImageFailure)] = []
        for (item, result) in zip(found, read) {
            switch result {
            case .success(let (header, digest)):
                images.plans[item.source] = ImagePlan(source: item.source, output: item.output, header: header)
                images.digests[item.source] = digest
                if header.hasPosition { positions.append(item.source) }
            case .failure(let error):
                failures.append((item.source, error))
            }
        }
        guard !positions.isEmpty || !failures.isEmpty else { return images }
        let shown = shownAt(site, siteFolder: siteFolder)
        for (source, error) in failures {
            if let (location, destination) = shown[source] {
                diagnostics.error(location, "image '\(destination)': \(error.message)")
            } else {
                diagnostics.error(SourceLocation(path: source), "image \(source): \(error.message)")
            }
        }
        for source in positions {
            diagnostics.warning(shown[source]?.location ?? SourceLocation(path: source),
                "image \(source) records the GPS position where it was taken; Monarch removed it (and all other metadata) "
                + "from the published copies, but the file in \(source.hasPrefix("static/") ? "static/" : "content/") still has it: "
                + "remove it there too (exiftool -all= \(source)) before the site folder is shared")
        }
        return images
    }

    /// Where each image is first shown: the page and position of its first `![...](...)`, in
    /// the order of the pages' paths, and the destination as written there.
    private static func shownAt(_ site: LoadedSite, siteFolder: URL) -> [String: (location: SourceLocation, destination: String)] {
        var shown: [String: (location: SourceLocation, destination: String)] = [:]
        for page in site.pages.sorted(by: { $0.sourcePath < $1.sourcePath }) {
            for link in page.document.links where link.isImage {
                guard let file = site.resolver.imageFile(link.destination, of: page, siteFolder: siteFolder),
                      shown[file] == nil else { continue }
                shown[file] = (page.location(link.position), link.destination)
            }
        }
        return shown
    }

    /// The `<picture>` of each image destination of `entry` that shows one of these images,
    /// by destination, given the page's resolved links.
    func responsive(for entry: PageEntry, urls: [String: String], site: LoadedSite, siteFolder: URL) -> [String: ResponsiveImage] {
        var pictures: [String: ResponsiveImage] = [:]
        for link in entry.page.document.links where link.isImage && pictures[link.destination] == nil {
            guard let file = site.resolver.imageFile(link.destination, of: entry.page, siteFolder: siteFolder),
                  let plan = plans[file] else { continue }
            pictures[link.destination] = plan.responsive(url: urls[link.destination] ?? link.destination)
        }
        return pictures
    }

    /// Every copy, made on every core or taken from `cache`; a copy that cannot be made is an
    /// error at its image.
    func outputs(siteFolder: URL, cache: ImageCache?, diagnostics: DiagnosticsEngine,
                 progress: (@Sendable (String) -> Void)?) -> [(path: String, data: Data)] {
        let jobs = plans.keys.sorted().flatMap { source in plans[source]!.outputs.map { (source, $0) } }
        guard !jobs.isEmpty else { return [] }
        let sources = SourceBytes(siteFolder: siteFolder)
        let made = ParallelMap.map(jobs) { job -> Result<Data, ImageFailure> in
            let (source, output) = job
            let key = ImageCache.key(digest: digests[source] ?? "", width: output.width, settings: output.settings)
            if let cached = cache?.read(key) { return .success(cached) }
            guard let data = sources.bytes(source) else { return .failure(ImageFailure("the file cannot be read")) }
            return Result { () throws(ImageFailure) in
                let encoded = try ImageEncoder.encode(data, width: output.width, settings: output.settings)
                cache?.write(encoded, key: key)
                return encoded
            }
        }
        progress?("images: \(plans.count) images, \(jobs.count) copies, \(cache?.madeCount ?? jobs.count) made")
        var files: [(path: String, data: Data)] = []
        var failed: Set<String> = []
        for (job, result) in zip(jobs, made) {
            switch result {
            case .success(let data): files.append((job.1.path, data))
            case .failure(let error):
                if failed.insert(job.0).inserted { diagnostics.error(SourceLocation(path: job.0), "image \(job.0): \(error.message)") }
            }
        }
        cache?.keepOnly(Set(jobs.map { ImageCache.key(digest: digests[$0.0] ?? "", width: $0.1.width, settings: $0.1.settings) }))
        return files
    }

    /// Output paths of the images themselves, which the copy of content/ and static/ leaves to
    /// `outputs`.
    var originalPaths: Set<String> { Set(plans.values.map(\.original.path)) }

    /// Only the images of static/ and the content images whose output path is in `used`.
    func keeping(_ used: Set<String>) -> SiteImages {
        var kept = self
        kept.plans = plans.filter { !$0.key.hasPrefix("content/") || used.contains($0.value.original.path) }
        return kept
    }
}

/// An image's bytes, read once however many copies are made of it at the same time.
private final class SourceBytes: @unchecked Sendable {
    private let siteFolder: URL
    private let lock = NSLock()
    private var read: [String: Data] = [:]

    init(siteFolder: URL) { self.siteFolder = siteFolder }

    func bytes(_ source: String) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        if let data = read[source] { return data }
        let data = FileManager.default.contents(atPath: siteFolder.appendingPathComponent(source).path)
        read[source] = data
        return data
    }
}

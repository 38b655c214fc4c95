import Foundation

/// Photos made for the tests with the vips command (libvips-tools) and tagged with exiftool,
/// as a phone would tag them; and what exiftool, a reader independent of libvips, finds in a
/// file Monarch wrote.
public enum TestPhotos {
    /// The metadata a phone writes: where, with what, whose, turned how (6: the camera was
    /// held upright, the pixels are stored lying on their side).
    public static let phoneTags = [
        "-GPSLatitude=49.2827", "-GPSLatitudeRef=N", "-GPSLongitude=123.1207", "-GPSLongitudeRef=W",
        "-Make=Google", "-Model=Pixel 7", "-SerialNumber=PX7-0042", "-OwnerName=Jane Doe", "-Orientation#=6",
        "-Comment=taken at the drop-in", "-XMP-dc:Creator=Jane Doe", "-IPTC:By-line=Jane Doe",
    ]

    /// A photo-like JPEG of `width` × `height` (smooth noise at three scales, grain), about
    /// what a phone makes of a street: 4000 × 3000 is 5.7 MB.
    public static func photo(width: Int, height: Int, to url: URL, quality: Int = 92) throws {
        let work = url.deletingLastPathComponent().appendingPathComponent(".photo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        func v(_ name: String) -> String { work.appendingPathComponent(name + ".v").path }
        let (w, h) = (String(width), String(height))
        try vips(["perlin", v("a"), w, h, "--cell-size", "256"])
        try vips(["perlin", v("b"), w, h, "--cell-size", "64"])
        try vips(["perlin", v("c"), w, h, "--cell-size", "8"])
        try vips(["bandjoin", "\(v("a")) \(v("b")) \(v("c"))", v("abc")])
        try vips(["linear", v("abc"), v("lit"), "120 90 60", "128 128 128"])
        try vips(["gaussnoise", v("grain"), w, h, "--sigma", "12"])
        try vips(["add", v("lit"), v("grain"), v("sum")])
        try vips(["cast", v("sum"), url.path + "[Q=\(quality)]", "uchar"])
    }

    /// A 400 × 300 JPEG, its left half red and its right half blue, for orientation checks.
    public static func halves(to url: URL) throws {
        let work = url.deletingLastPathComponent().appendingPathComponent(".halves-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let black = work.appendingPathComponent("black.v").path
        let red = work.appendingPathComponent("red.v").path, blue = work.appendingPathComponent("blue.v").path
        try vips(["black", black, "200", "300", "--bands", "3"])
        try vips(["linear", black, red, "1", "220 20 20"])
        try vips(["linear", black, blue, "1", "20 20 220"])
        let joined = work.appendingPathComponent("joined.v").path
        try vips(["join", red, blue, joined, "horizontal"])
        try vips(["cast", joined, url.path + "[Q=95]", "uchar"])
    }

    /// Writes `tags` (exiftool arguments) into the file.
    public static func tag(_ url: URL, _ tags: [String] = phoneTags) throws {
        let result = try Command.run("/usr/bin/exiftool", ["-q", "-overwrite_original"] + tags + [url.path])
        guard result.status == 0 else { throw Command.Failure(description: "exiftool: \(result.err)") }
    }

    /// Every tag exiftool reads in the file that says something of the photo rather than of
    /// the file and its pixels (the container's layout: RIFF chunks, PNG's IHDR, HEIF boxes),
    /// as `Group:Name`: EXIF, GPS, XMP, IPTC, ICC, maker notes, comments, names, dates.
    public static func metadata(_ url: URL) throws -> [String] {
        let result = try Command.run("/usr/bin/exiftool", ["-s", "-G1", "-a", "-u", url.path])
        guard result.status == 0 else { throw Command.Failure(description: "exiftool: \(result.err)") }
        let groups = ["IFD", "ExifIFD", "SubIFD", "GPS", "XMP", "IPTC", "ICC", "MakerNotes", "Photoshop", "Adobe", "APP", "JFIF",
                      "InteropIFD", "MPF", "PNG-tEXt", "PNG-iTXt", "PNG-zTXt", "PNG-eXIf", "PNG-iCCP", "Google", "Samsung", "Apple"]
        let names = ["Comment", "Make", "Model", "Serial", "Owner", "GPS", "Creator", "By-line", "Artist", "Copyright",
                     "DateTime", "Software", "Orientation", "Author", "Description", "Title", "Keyword"]
        let fileFacts: Set<String> = ["FileModifyDate", "FileAccessDate", "FileInodeChangeDate", "FileCreateDate", "ColorProfiles"]
        return result.out.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return nil }
            let group = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
            let name = line[line.index(after: close)...].split(separator: ":").first?.trimmingCharacters(in: .whitespaces) ?? ""
            if group == "ExifTool" || group == "System" || fileFacts.contains(name) { return nil }
            let identifying = groups.contains { group.hasPrefix($0) } || names.contains { name.contains($0) }
            return identifying ? "\(group):\(name)" : nil
        }
    }

    /// The pixel at x, y as vips reads it ("220 20 20").
    public static func pixel(_ url: URL, x: Int, y: Int) throws -> [Int] {
        let result = try Command.run("/usr/bin/vips", ["getpoint", url.path, String(x), String(y)])
        guard result.status == 0 else { throw Command.Failure(description: "vips getpoint: \(result.err)") }
        return result.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }.map { Int($0.rounded()) }
    }

    /// Width and height as vipsheader reads them.
    public static func size(_ url: URL) throws -> (width: Int, height: Int) {
        let w = try Command.run("/usr/bin/vipsheader", ["-f", "width", url.path]).out
        let h = try Command.run("/usr/bin/vipsheader", ["-f", "height", url.path]).out
        return (Int(w.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, Int(h.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
    }

    private static func vips(_ arguments: [String]) throws {
        let result = try Command.run("/usr/bin/vips", arguments)
        guard result.status == 0 else { throw Command.Failure(description: "vips \(arguments.first ?? ""): \(result.err)") }
    }
}

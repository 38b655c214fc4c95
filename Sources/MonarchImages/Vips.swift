import CVips
import Foundation

/// libvips, started once per process, and its last error as text.
enum Vips {
    private static let started: Bool = monarch_vips_start() == 0

    static func start() throws(ImageFailure) {
        guard started else { throw ImageFailure("the image library (libvips) could not start; reinstall libvips (scripts/install-deps.sh)") }
    }

    /// What libvips said went wrong, on one line, and cleared.
    static func lastError() -> String {
        let text = String(cString: vips_error_buffer()).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        vips_error_clear()
        return text.isEmpty ? "libvips gave no reason" : text
    }
}

/// What is wrong with an image, said to an editor (the caller names the file).
public struct ImageFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

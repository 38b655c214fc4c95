import CQRencode
import Foundation

/// A QR code as a square of dark and light modules (no quiet zone).
struct QRMatrix: Hashable, Sendable {
    var size: Int
    var dark: [Bool]

    subscript(x: Int, y: Int) -> Bool { dark[y * size + x] }

    private static let lock = NSLock()

    /// Encodes `text` (an address) with error correction level M, or nil when it is too
    /// long for a QR code. libqrencode keeps shared tables, so encoding is serialised.
    static func encode(_ text: String) -> QRMatrix? {
        lock.lock()
        defer { lock.unlock() }
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        var dark = [Bool](repeating: false, count: width * width)
        for i in 0..<(width * width) { dark[i] = code.pointee.data[i] & 1 == 1 }
        return QRMatrix(size: width, dark: dark)
    }
}

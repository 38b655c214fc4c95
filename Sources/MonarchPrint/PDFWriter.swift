import CPangoCairo
import Foundation

/// A cairo PDF surface that writes into memory. The bytes are returned only when cairo
/// finished without error, so a failed render never leaves half a PDF anywhere.
final class PDFWriter {
    private final class Sink {
        var data = Data()
    }

    private let sink = Sink()
    private let surface: OpaquePointer
    let cr: OpaquePointer
    /// Pages shown so far.
    private(set) var pageCount = 0
    /// Whether this document carries tags (structure tree, links); never in imposed output.
    let tagged: Bool
    private var documentOpen = false

    init(width: Double, height: Double, title: String, author: String, subject: String, date: Date, tagged: Bool) {
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        cr = cairo_create(surface)
        self.tagged = tagged
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author)
        if !subject.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Monarch")
        // Cairo 1.16 writes the time of the render unless told otherwise.
        let stamp = Self.iso8601(date)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp)
        if tagged {
            // Cairo 1.16 damages a PDF whose link tags are outside any structure tag:
            // everything goes inside one Document element.
            cairo_tag_begin(cr, "Document", "")
            documentOpen = true
        }
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Ends the current page; `last` closes the Document element first, so no empty page
    /// follows.
    func endPage(last: Bool) {
        if last && documentOpen {
            cairo_tag_end(cr, "Document")
            documentOpen = false
        }
        cairo_show_page(cr)
        pageCount += 1
    }

    /// Adds a bookmark; `page` is 1-based, (x, y) in points from the page's top left.
    func addOutline(parent: Int32, title: String, page: Int, x: Double, y: Double, open: Bool) -> Int32 {
        let attributes = "page=\(page) pos=[\(PDFNumber.format(x)) \(PDFNumber.format(y))]"
        return cairo_pdf_surface_add_outline(surface, parent, title, attributes,
                                             open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0))
    }

    /// Finishes the PDF: its bytes, or cairo's error.
    func finish() -> Result<Data, PDFError> {
        if documentOpen {
            cairo_tag_end(cr, "Document")
            documentOpen = false
        }
        let contextStatus = cairo_status(cr)
        cairo_surface_finish(surface)
        let status = contextStatus != CAIRO_STATUS_SUCCESS ? contextStatus : cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            return .failure(PDFError(message: "cairo could not write the PDF: " + String(cString: cairo_status_to_string(status))))
        }
        return .success(SubsetTags.normalize(sink.data))
    }

    /// `YYYY-MM-DDThh:mm:ssZ` in UTC, the form cairo's metadata accepts.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { String(n).leftPadded(to: 2) }
        return "\(String(parts.tm_year + 1900).leftPadded(to: 4))-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

struct PDFError: Error {
    var message: String
}

enum PDFNumber {
    /// A number for cairo's attribute strings: fixed point, "." as decimal separator
    /// whatever the locale.
    static func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded()
        let negative = scaled < 0
        let magnitude = Int(abs(scaled))
        let text = "\(magnitude / 100).\(String(magnitude % 100).leftPadded(to: 2))"
        return negative ? "-" + text : text
    }
}

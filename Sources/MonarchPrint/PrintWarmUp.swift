import CPangoCairo
import Foundation

/// Work every printing process does once, started early in a thread of its own so that it
/// overlaps the build's other steps instead of delaying the first pamphlet.
public enum PrintWarmUp {
    /// Pango breaks Thai into words with libthai, whose dictionary (588 KB) is read on first
    /// use four bytes at a time through locked `fread` calls: about 5 ms of the first Thai
    /// layout of a process. Reading it now, while the site's pages are rendered, takes that
    /// off the pamphlets' time. Pango guards its dictionary with a lock of its own.
    public static func begin(languageTags: [String]) {
        guard languageTags.contains(where: { LanguageStyle.forTag($0).bodyFamilies.contains("Noto Sans Thai") }) else { return }
        _ = thai
    }

    private static let thai: Void = {
        Thread.detachNewThread {
            let text = "สวัสดีครับ"
            let length = Int32(text.utf8.count)
            var attributes = [PangoLogAttr](repeating: PangoLogAttr(), count: text.unicodeScalars.count + 1)
            let count = Int32(attributes.count)
            pango_get_log_attrs(text, length, -1, pango_language_from_string("th"), &attributes, count)
        }
    }()
}

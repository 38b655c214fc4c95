import Foundation
import Testing
@testable import MonarchCore

/// The one JSON string quoter and the percent-encoders, one per purpose.
@Suite("JSONString and PercentEncoding")
struct TextEncodingTests {
    @Test func jsonStringEscapesWhatJSONAndScriptsNeed() throws {
        let text = "a\"b\\c\nd\u{1}<x>&\u{2028} ไทย 中文"
        let quoted = JSONString.quoted(text)
        #expect(quoted == "\"a\\\"b\\\\c\\nd\\u0001\\u003cx\\u003e\\u0026\\u2028 ไทย 中文\"")
        #expect(try JSONDecoder().decode([String].self, from: Data("[\(quoted)]".utf8)) == [text])
        #expect(JSONString.quoted("en/a&b/", inertInHTML: false) == "\"en/a&b/\"")
        #expect(JSONString.quoted("plain") == "\"plain\"")
    }

    /// A relative link keeps letters of any script; an absolute address and a PDF link are ASCII.
    @Test func eachPurposeEncodesWhatItMust() {
        #expect(PercentEncoding.hrefSegment("สิทธิ my page?") == "สิทธิ%20my%20page%3F")
        #expect(PercentEncoding.uriPath("th/สิทธิ/a b?#/") == "th/%E0%B8%AA%E0%B8%B4%E0%B8%97%E0%B8%98%E0%B8%B4/a%20b%3F%23/")
        #expect(PercentEncoding.uriPath("en/police/stop/") == "en/police/stop/")
        #expect(PercentEncoding.pdfAddress("https://x.org/a (b)/ü") == "https://x.org/a%20%28b%29/%C3%BC")
    }
}

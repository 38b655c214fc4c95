/// The one place Monarch writes a JSON string by hand (the search indexes and the offline
/// list are built as text: JSONSerialization would escape every `/` and take longer).
public enum JSONString {
    /// `text` as a JSON string: quotes, backslashes, control characters, U+2028 and U+2029
    /// escaped; everything else as UTF-8 (smaller than `\u` escapes for Chinese, Korean and
    /// Thai). With `inertInHTML`, `<`, `>` and `&` too, so that the text stays inert even
    /// inside a `<script>`.
    public static func quoted(_ text: String, inertInHTML: Bool = true) -> String {
        let plain = !text.containsByte(where: { byte in
            byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
                || (inertInHTML && (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")))
        })
        if plain { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "<" where inertInHTML: out += "\\u003c"
            case ">" where inertInHTML: out += "\\u003e"
            case "&" where inertInHTML: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var out = "\\u00"
        out.unicodeScalars.append(digits[Int(value >> 4)])
        out.unicodeScalars.append(digits[Int(value & 0xF)])
        return out
    }
}

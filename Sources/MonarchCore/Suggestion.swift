/// "did you mean ...?" for a misspelt key, from the closest candidate by edit distance.
public enum Suggestion {
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()))
            let limit = candidate.count <= 4 ? 1 : max(2, candidate.count / 3)
            if distance <= limit, distance < (best?.1 ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// The message tail for an unknown name: "; did you mean 'title'?" or the list of valid names.
    public static func hint(for word: String, in candidates: [String]) -> String {
        if let match = closest(to: word, in: candidates) {
            return "; did you mean '\(match)'?"
        }
        return "; expected one of: \(candidates.sorted().joined(separator: ", "))"
    }

    /// The tail of a message about a name that is not one of `candidates` (a page, a heading
    /// id): "did you mean" the closest, or, when none is close, the nearest few by spelling,
    /// never a list of every id of a long page. `noun` names the candidates ("headings").
    public static func nearest(to word: String, in candidates: [String], noun: String, limit: Int = 3) -> String {
        if let match = closest(to: word, in: candidates) { return "; did you mean '\(match)'?" }
        guard !candidates.isEmpty else { return "" }
        if candidates.count <= limit { return "; its \(noun) are: " + candidates.joined(separator: ", ") }
        let target = Array(word.lowercased())
        let ranked = candidates.enumerated()
            .map { (distance: editDistance(target, Array($0.element.lowercased())), order: $0.offset, name: $0.element) }
            .sorted { ($0.distance, $0.order) < ($1.distance, $1.order) }
            .prefix(limit).map(\.name)
        return "; the nearest of its \(candidates.count) \(noun) are: " + ranked.joined(separator: ", ")
    }

    /// Edit distance counting a swap of two neighbours as one edit ("titel" -> "title").
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

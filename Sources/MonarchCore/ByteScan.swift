extension StringProtocol {
    /// Whether a UTF-8 byte of the text matches, tested on the stored bytes where they are
    /// contiguous (always, for native strings): the generic `utf8.contains(where:)` goes
    /// through the collection protocols byte by byte, which was several percent of a build
    /// where every value, path and paragraph is scanned.
    public func containsByte(where matches: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: matches) } ?? utf8.contains(where: matches)
    }
}

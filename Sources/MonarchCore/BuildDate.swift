import Foundation

/// The one date Monarch writes into what it makes (PDF metadata, zip entries): never the
/// clock, nor a file's modification time (which differs between two checkouts of one commit
/// and tells when an editor worked), so that the same input gives the same bytes anywhere.
public enum BuildDate {
    /// 2000-01-01T00:00:00Z, when `SOURCE_DATE_EPOCH` is not set.
    public static let fixed = Date(timeIntervalSince1970: 946_684_800)

    /// `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible-builds.org defines it), for
    /// example the commit's time (`git log -1 --format=%ct`); else `fixed`.
    public static func creation(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Date {
        guard let text = environment["SOURCE_DATE_EPOCH"]?.trimmingCharacters(in: .whitespacesAndNewlines),
              let seconds = Int64(text), seconds >= 0 else { return fixed }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}

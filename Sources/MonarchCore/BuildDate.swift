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

    /// Today's date (UTC) for what depends on time passing, never for what is written: when a
    /// hotline was last checked (issue #18, point 7). `MONARCH_TODAY=YYYY-MM-DD` sets it, to
    /// see what a build would say on another day (and for tests); else the clock.
    public static func today(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CalendarDay {
        if let text = environment["MONARCH_TODAY"], let day = CalendarDay(text) { return day }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}

/// A date as editors write it, `YYYY-MM-DD` (Gregorian).
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD`; nil for anything else or a day the month does not have.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The same day `months` months later (the month's last day when it has fewer).
    public func adding(months: Int) -> CalendarDay {
        let total = year * 12 + (month - 1) + months
        let (y, m) = (total / 12, total % 12 + 1)
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return CalendarDay(year: y, month: m, day: min(day, days))
    }

    /// The day after this one.
    public var next: CalendarDay {
        // `adding(months: 0)` takes the 31st back to the month's last day.
        let lastDay = CalendarDay(year: year, month: month, day: 31).adding(months: 0).day
        return day < lastDay ? CalendarDay(year: year, month: month, day: day + 1)
                             : CalendarDay(year: year, month: month, day: 1).adding(months: 1)
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}

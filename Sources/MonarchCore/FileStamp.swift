import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a build tells that a file is as it was without reading it, the way git finds a
/// changed file: a file whose size, modification and change times, inode and device are
/// those recorded has the recorded bytes. The change time cannot be set back by any program
/// (only by setting the clock); a file changed within 2 s of the stat (when a second write
/// could fall in the same clock tick) has no stamp, so that it is always read again: git's
/// "racy clean" rule. The build cache and the preview's memo both use it.
public enum FileStamp {
    /// Anything changed at or after this moment (seconds; now less 2 s for the file
    /// system's coarser clock and for a write in the same tick as the stat) is not trusted
    /// by its stamp. Take it before the stats it is used with.
    public static func trustedBefore() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec) - 2
    }

    /// A file's size, modification and change times, inode and device (`stat`: of the file a
    /// link leads to), or "" when it changed at or after `trustedBefore` (seconds).
    public static func text(_ info: stat, trustedBefore: Int) -> String {
        #if canImport(Darwin)
        let m = info.st_mtimespec, c = info.st_ctimespec
        #else
        let m = info.st_mtim, c = info.st_ctim
        #endif
        guard m.tv_sec < trustedBefore, c.tv_sec < trustedBefore else { return "" }
        return "\(info.st_size) \(m.tv_sec).\(m.tv_nsec) \(c.tv_sec).\(c.tv_nsec) \(info.st_ino) \(info.st_dev)"
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit, and how many connections fit under it. Each connection
/// costs a descriptor; the database, the WAL, readers, libcurl and the loops' epoll and eventfd
/// need some too, so `reserved` stay out of the connections' share. Without the clamp, a
/// server with `--max-connections 4096` under `ulimit -n 1024` ran out of descriptors before
/// its own limit: accept failed with EMFILE, and new clients hung instead of getting 503.
public enum DescriptorLimit {
    public static let reserved = 128

    /// Raises the soft limit to the hard one (allowed without privilege) and returns the soft
    /// limit in force afterwards, and what it was before.
    @discardableResult
    public static func raiseSoftLimit() -> (before: Int, now: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (1024, 1024) }
        let before = Int(clamping: limit.rlim_cur)
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return (before, Int(clamping: limit.rlim_cur))
    }

    /// The connections allowed under a soft limit of `softLimit` descriptors.
    public static func connectionsAllowed(configured: Int, softLimit: Int, reserved: Int = reserved) -> Int {
        max(1, min(configured, softLimit - reserved))
    }
}

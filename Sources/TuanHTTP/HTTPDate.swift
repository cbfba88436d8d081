#if canImport(Glibc)
import Glibc
#endif

/// The IMF-fixdate for the `Date` header, recomputed at most once a second per loop.
struct HTTPDate {
    private var cachedSecond: time_t = 0
    private var cached = ""

    mutating func now() -> String {
        let second = time(nil)
        if second != cachedSecond {
            cachedSecond = second
            var t = second
            var parts = tm()
            gmtime_r(&t, &parts)
            var buffer = [CChar](repeating: 0, count: 64)
            let n = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
            cached = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return cached
    }
}

import Foundation
import TuanDomain

/// Wall-clock time as a `Timestamp`.
public enum Clock {
    public static func now() -> Timestamp {
        Timestamp(seconds: Int64(Date().timeIntervalSince1970))
    }
}

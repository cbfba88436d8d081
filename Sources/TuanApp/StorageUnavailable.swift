/// The storage cannot serve the request just now, through no fault of the request: the
/// caller may retry (busy) or the service is stopping.
public enum StorageUnavailable: Error, Sendable, CustomStringConvertible {
    case busy
    case shuttingDown

    public var description: String {
        switch self {
        case .busy: "the database is busy; retry"
        case .shuttingDown: "the service is shutting down"
        }
    }
}

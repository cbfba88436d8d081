import TuanApp
import TuanDomain
import TuanHTTP

/// Every error as an HTTP answer with a stable code: the one mapping the API and the pages
/// share (the router applies it inside every middleware and handler, so 5xx answers are
/// counted and logged like any other).
enum ErrorMapping {
    static func response(for error: any Error) -> HTTPResponse {
        switch error {
        case let e as DomainError:
            let message = e.field.map { "\($0): \(e.message)" } ?? e.message
            return .error(e.status, code: e.code.rawValue, message: message)
        case let e as HTTPError:
            return e.response
        case let e as JSONParser.Error:
            return .error(400, code: "malformed_json", message: e.description)
        case StorageUnavailable.busy:
            return .error(503, code: "busy", message: StorageUnavailable.busy.description)
        case StorageUnavailable.shuttingDown:
            return .error(503, code: "shutting_down", message: StorageUnavailable.shuttingDown.description)
        default:
            return .error(500, code: "internal_error", message: "internal error")
        }
    }
}

import TuanDomain
import TuanHTTP
import TuanSQLite
import TuanStore

/// Domain and store errors as HTTP answers with stable codes.
enum ErrorMapping {
    static func response(for error: any Error) -> HTTPResponse {
        switch error {
        case let e as DomainError:
            let message = e.field.map { "\($0): \(e.message)" } ?? e.message
            return .error(status(for: e.code), code: e.code.rawValue, message: message)
        case let e as JSONParser.Error:
            return .error(400, code: "malformed_json", message: e.description)
        case let e as SQLiteError where e.isBusy:
            return .error(503, code: "busy", message: "the database is busy; retry")
        case is StoreClosedError:
            return .error(503, code: "shutting_down", message: "the service is shutting down")
        default:
            return .error(500, code: "internal_error", message: "internal error")
        }
    }

    static func status(for code: DomainError.Code) -> Int {
        switch code {
        case .invalidField, .overflow, .currencyMismatch: return 422
        case .notFound: return 404
        case .soldOut, .campaignClosed, .campaignNotOpen, .invalidTransition, .cancellationClosed, .idempotencyConflict, .conflict,
             .teamClosed, .cutOffPassed:
            return 409
        default: return 500
        }
    }
}

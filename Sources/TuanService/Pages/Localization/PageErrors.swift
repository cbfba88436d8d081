import TuanDomain
import TuanHTTP

/// A refusal as a page says it: the API keeps its stable English codes and messages, the pages
/// tell people in their language what to do, from the error's code and field. Where one code and
/// field cover two cases (an unknown leader code and a malformed one are both `invalid_field` on
/// `leader_code`, and must stay so for API clients), the error's `reason` tells them apart.
enum PageErrors {
    static func message(for error: DomainError, _ l: Localizer, maxPerPledge: Int64? = nil) -> String {
        switch (error.code, error.field) {
        case (.soldOut, _): return l.t("error.sold_out")
        case (.consumerLimit, _): return l.t("error.consumer_limit")
        case (.campaignClosed, _): return l.t("error.campaign_closed")
        case (.campaignNotOpen, _): return l.t("error.campaign_not_open")
        case (.teamClosed, _): return l.t("error.team_closed")
        case (.notFound, "team_code"): return l.t("error.team_not_found")
        case (.conflict, "team_code"): return l.t("error.team_member")
        case (.invalidField, "form"): return l.t("error.check_fields")
        case (.invalidField, "lines[0].sku"): return l.t("error.item_choose")
        case (.invalidField, "quantity"), (.invalidField, "lines[0].quantity"):
            return maxPerPledge.map { l.t("error.quantity_range", ["max": l.number($0)]) } ?? l.t("error.quantity_whole")
        case (.invalidField, "consumer_id"): return l.t("error.consumer_invalid")
        case (.invalidField, "leader_code"):
            return error.reason == .unknownLeader ? l.t("error.leader_unknown") : l.t("error.leader_invalid")
        case (.invalidField, "team"): return l.t("error.team_none")
        case (.invalidField, "code"): return l.t("error.code_invalid")
        case (.notFound, "code"): return l.t("error.code_unknown")
        case (.conflict, "code"):
            switch error.reason {
            case .wrongPickupPoint?: return l.t("error.code_wrong_point")
            case .alreadyCollected?: return l.t("error.code_collected")
            case .balanceOwed?: return l.t("error.code_balance")
            case .notReceived?: return l.t("error.code_not_received")
            default: return l.t("error.code_nothing")
            }
        case (.invalidField, "decision"): return l.t("error.decision")
        case (.invalidField, "lines"): return l.t("error.lines")
        case (.invalidField, "promised_ship_date"): return l.t("error.ship_date")
        case (.invalidField, "reason"): return l.t("error.reason")
        case (.invalidTransition, _) where error.reason == .alreadyAnswered: return l.t("error.answered")
        case (.idempotencyConflict, _): return l.t("error.form_expired")
        case (.notFound, _): return l.t("error.not_found")
        case (.forbidden, _): return l.t("error.forbidden")
        case (.invalidField, _), (.overflow, _), (.currencyMismatch, _): return l.t("error.invalid")
        default: return error.status >= 500 ? l.t("error.internal") : l.t("error.conflict")
        }
    }

    static func message(for error: HTTPError, _ l: Localizer) -> String {
        switch error.code {
        case "csrf": l.t("error.form_expired")
        case "cross_site": l.t("error.cross_site")
        case "not_a_supplier": l.t("error.supplier_only")
        case "supplier_required": l.t("error.supplier_choose")
        case "forbidden": l.t("error.forbidden")
        case "not_found": l.t("error.not_found")
        default: error.status == 503 ? l.t("error.busy") : error.status >= 500 ? l.t("error.internal") : l.t("error.invalid")
        }
    }

    /// Any error a page handler throws.
    static func message(for error: any Error, status: Int, _ l: Localizer) -> String {
        switch error {
        case let error as HTTPError: message(for: error, l)
        case let error as DomainError: message(for: error, l)
        default: status == 503 ? l.t("error.busy") : l.t("error.internal")
        }
    }
}

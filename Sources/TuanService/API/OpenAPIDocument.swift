import TuanDomain

/// The OpenAPI 3.1 description served at /openapi.json. A test checks that every route the
/// router serves is described here and nothing more, so the two cannot drift apart.
enum OpenAPIDocument {
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var roles: [String]
        var body: String?
        var success: Int
        var errors: [Int]
        /// Query parameters: name, JSON type, required.
        var query: [(name: String, type: String, required: Bool)] = []
        /// The success answer's schema, where one is described (`components.schemas`).
        var answer: String? = nil

        /// Every status the operation can answer: what it declares, plus 401 for a bad token
        /// (checked on every route, public ones too), and 400, 413 and 415 for a body.
        var statuses: [Int] {
            var all = Set(errors).union([401])
            if body != nil { all.formUnion([400, 413, 415]) }
            return all.sorted()
        }
    }

    static let operations: [Operation] = [
        .init(method: "get", path: "/healthz", summary: "Liveness and schema version", roles: [], body: nil, success: 200, errors: []),
        .init(method: "get", path: "/metrics", summary: "Prometheus metrics", roles: [], body: nil, success: 200, errors: []),
        .init(method: "get", path: "/openapi.json", summary: "This document", roles: [], body: nil, success: 200, errors: []),
        .init(method: "post", path: "/v1/suppliers", summary: "Register a supplier; the webhook secret is returned once",
              roles: ["admin"], body: "SupplierInput", success: 201, errors: [400, 401, 403, 422]),
        .init(method: "patch", path: "/v1/suppliers/{id}",
              summary: "When the supplier's orders go out: immediate (an order at each close) or a daily cut-off HH:MM local time (UTC + utc_offset_minutes), sending one order per delivery day",
              roles: ["admin"], body: "OrderCycleInput", success: 200, errors: [400, 401, 403, 404, 415, 422]),
        .init(method: "post", path: "/v1/products", summary: "Add a product", roles: ["admin"], body: "ProductInput",
              success: 201, errors: [400, 401, 403, 404, 409, 422]),
        .init(method: "get", path: "/v1/products", summary: "List products, by SKU (?style= for one style's variants)",
              roles: ["admin", "planner", "storefront"], body: nil, success: 200, errors: [401, 403, 422], query: [("style", "string", false)]),
        .init(method: "post", path: "/v1/campaigns", summary: "Create a campaign (published unless publish=false)", roles: ["admin"],
              body: "CampaignInput", success: 201, errors: [400, 401, 403, 404, 422]),
        .init(method: "get", path: "/v1/campaigns", summary: "List campaigns (?status=&sku=&limit=)", roles: [], body: nil,
              success: 200, errors: [422], query: [("status", "string", false), ("sku", "string", false), ("limit", "integer", false)]),
        .init(method: "get", path: "/v1/campaigns/{id}", summary: "A campaign with its progress, current price and next tier",
              roles: [], body: nil, success: 200, errors: [404]),
        .init(method: "patch", path: "/v1/campaigns/{id}",
              summary: "Edit a live campaign without worsening its terms: a later closes_at, a higher cap (null: none), tiers that only lower prices, a lower deposit, title, description; 409 shortens_deadline, lowers_cap, raises_price, raises_deposit",
              roles: ["admin"], body: "CampaignEditInput", success: 200, errors: [400, 401, 403, 404, 409, 413, 415, 422]),
        .init(method: "post", path: "/v1/campaigns/{id}/publish", summary: "Open a draft campaign", roles: ["admin"], body: nil,
              success: 200, errors: [401, 403, 404, 409]),
        .init(method: "post", path: "/v1/campaigns/{id}/close", summary: "Close now: succeed at the tier reached or fail and refund",
              roles: ["admin"], body: nil, success: 200, errors: [401, 403, 404, 409, 422]),
        .init(method: "post", path: "/v1/campaigns/{id}/cancel", summary: "Call the campaign off and refund every deposit",
              roles: ["admin"], body: nil, success: 200, errors: [401, 403, 404, 409]),
        .init(method: "post", path: "/v1/campaigns/{id}/pledges",
              summary: "Pledge (requires Idempotency-Key; same key and body replays, different body is 409 idempotency_conflict)",
              roles: ["admin", "storefront"], body: "PledgeInput", success: 201, errors: [400, 401, 403, 404, 409, 413, 415, 422]),
        .init(method: "get", path: "/v1/campaigns/{id}/pledges", summary: "A campaign's pledges", roles: ["admin", "planner"],
              body: nil, success: 200, errors: [401, 403, 404]),
        .init(method: "get", path: "/v1/pledges/{id}", summary: "One pledge", roles: ["admin", "storefront", "planner"], body: nil,
              success: 200, errors: [401, 403, 404]),
        .init(method: "post", path: "/v1/pledges/{id}/cancel", summary: "Cancel before the deadline; the deposit is refunded",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 404, 409]),
        .init(method: "get", path: "/v1/consumers/{consumer}/pledges",
              summary: "A consumer's pledges across campaigns, newest first (?limit=), each with paid_minor, owed_minor, refunded_minor and its payment",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 422], query: [("limit", "integer", false)]),
        .init(method: "get", path: "/v1/refunds",
              summary: "Refunds Tuan decided, newest first (?status=due|completed&consumer_id=&limit=): what the storefront still owes consumers",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 422],
              query: [("status", "string", false), ("consumer_id", "string", false), ("limit", "integer", false)]),
        .init(method: "post", path: "/v1/refunds/{id}/complete",
              summary: "The storefront paid a refund out (with the provider's reference): refunds payable to cash; the same reference again changes nothing, another is 409 refund_completed",
              roles: ["admin", "storefront"], body: "RefundCompletionInput", success: 200, errors: [401, 403, 404, 409, 413, 415, 422]),
        .init(method: "post", path: "/v1/baskets",
              summary: "Pledges in several open campaigns at once (one consumer, pickup point and deposit payment; requires Idempotency-Key): all or nothing, the refusal naming the line (lines[i]) and why; partial=true places what fits and reports the rest; one basket.created event",
              roles: ["admin", "storefront"], body: "BasketInput", success: 201, errors: [400, 401, 403, 404, 409, 413, 415, 422],
              answer: "Basket"),
        .init(method: "get", path: "/v1/baskets/{id}", summary: "A basket as it was placed: its lines, the pledges they became, the refused ones",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 404], answer: "Basket"),
        .init(method: "get", path: "/v1/events",
              summary: "Every state change in commit order, resumable (?after=SEQ&types=pledge.created,refund.*&campaign_id=&limit=, at most 1000): each item is the Event a webhook carries; next_after resumes",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 422],
              query: [("after", "integer", false), ("types", "string", false), ("campaign_id", "integer", false), ("limit", "integer", false)],
              answer: "EventPage"),
        .init(method: "post", path: "/v1/webhook-endpoints",
              summary: "Register a storefront endpoint for events (Standard Webhooks signed, retried, in order per campaign); the secret is returned once; after_seq backfills from that event",
              roles: ["admin", "storefront"], body: "WebhookEndpointInput", success: 201, errors: [400, 401, 403, 413, 415, 422]),
        .init(method: "get", path: "/v1/webhook-endpoints", summary: "Webhook endpoints with their backlog and dead letters counted",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403]),
        .init(method: "get", path: "/v1/webhook-endpoints/{id}", summary: "One endpoint, with its dead letters",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 404]),
        .init(method: "patch", path: "/v1/webhook-endpoints/{id}",
              summary: "Change an endpoint's url, event types or description, or disable it (events written meanwhile wait for it)",
              roles: ["admin", "storefront"], body: "WebhookEndpointEditInput", success: 200, errors: [400, 401, 403, 404, 413, 415, 422]),
        .init(method: "post", path: "/v1/webhook-endpoints/{id}/rotate-secret",
              summary: "A new secret (returned once); the old one signs beside it for 24 hours",
              roles: ["admin", "storefront"], body: "RotateSecretInput", success: 200, errors: [400, 401, 403, 404, 413, 415, 422]),
        .init(method: "post", path: "/v1/webhook-endpoints/{id}/redeliver",
              summary: "Send the endpoint's dead letters again (first in their campaigns' streams) and re-enable it",
              roles: ["admin", "storefront"], body: nil, success: 202, errors: [401, 403, 404]),
        .init(method: "post", path: "/v1/pledges/{id}/payments",
              summary: "Record the balance payment of a confirmed pledge: exactly what it owes (422 wrong_amount otherwise) with the provider's reference; requires Idempotency-Key; 409 already_paid, pledge_defaulted",
              roles: ["admin", "storefront"], body: "PaymentInput", success: 201, errors: [400, 401, 403, 404, 409, 413, 415, 422]),
        .init(method: "get", path: "/v1/purchase-orders",
              summary: "Group purchase orders, newest first (?status=&delivery=&supplier_id=&limit=; Accept: text/csv for CSV); a supplier sees only its own",
              roles: ["admin", "planner", "supplier"], body: nil, success: 200, errors: [401, 403, 422], query: [("status", "string", false), ("delivery", "string", false), ("supplier_id", "integer", false), ("limit", "integer", false)]),
        .init(method: "get", path: "/v1/purchase-orders.csv", summary: "The same list as CSV, one row per line and destination",
              roles: ["admin", "planner", "supplier"], body: nil, success: 200, errors: [401, 403, 422], query: [("status", "string", false), ("delivery", "string", false), ("supplier_id", "integer", false), ("limit", "integer", false)]),
        .init(method: "get", path: "/v1/purchase-orders/{id}",
              summary: "One order with its lines, per-destination breakdown and delivery attempts ({id}.csv or Accept: text/csv for CSV)",
              roles: ["admin", "planner", "supplier"], body: nil, success: 200, errors: [401, 403, 404]),
        .init(method: "post", path: "/v1/purchase-orders/{id}/redeliver",
              summary: "Send the order again from a fresh retry schedule (same webhook-id); re-enables a disabled endpoint",
              roles: ["admin"], body: nil, success: 202, errors: [401, 403, 404, 409]),
        .init(method: "post", path: "/v1/purchase-orders/{id}/acknowledgement",
              summary: "The supplier accepts, partially accepts (quantity per line, promised ship date) or rejects (reason); unfilled pledges are refunded",
              roles: ["supplier", "admin"], body: "AcknowledgementInput", success: 200, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "post", path: "/v1/purchase-orders/{id}/receipts",
              summary: "Record what arrived of an answered order, per line (a line left out arrived as shipped): the payable follows it; a short delivery refunds the lines that did not arrive, the last-arrived first; an over-delivery goes to stock. With a leader token: what arrived at the leader's pickup point (once per order and leader; 404 when the order has nothing for it, 409 when stock served part of the order); the operator's receipt then covers the rest. 409 if not answered, rejected or already received",
              roles: ["admin", "leader"], body: "ReceiptInput", success: 201, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "get", path: "/v1/stock", summary: "Units in stock per SKU (over-deliveries)",
              roles: ["admin", "planner"], body: nil, success: 200, errors: [401, 403]),
        .init(method: "post", path: "/v1/pickup-points", summary: "Record a pickup point (自提点): name, address, opening hours, time zone, capacity per delivery day, the leader who runs it; 409 if the name is taken",
              roles: ["admin"], body: "PickupPointInput", success: 201, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "get", path: "/v1/pickup-points", summary: "Every pickup point, by name (every name already given by leaders, pledges and subscriptions is one)",
              roles: ["admin", "planner", "storefront", "leader"], body: nil, success: 200, errors: [401, 403]),
        .init(method: "get", path: "/v1/pickup-points/{id}", summary: "One pickup point with its load per delivery day (?days=1-60, default 7): units due, and whether past its capacity",
              roles: ["admin", "planner", "storefront", "leader"], body: nil, success: 200, errors: [401, 403, 404, 422], query: [("days", "integer", false)]),
        .init(method: "patch", path: "/v1/pickup-points/{id}", summary: "Edit a pickup point's address, hours, zone, capacity or leader (its name stays: pledges name it by it)",
              roles: ["admin"], body: "PickupPointEditInput", success: 200, errors: [400, 401, 403, 404, 415, 422]),
        .init(method: "get", path: "/v1/pledges/{id}/pickup-code",
              summary: "The code the consumer shows to collect a standing pledge (核销): its number, a dash and six characters; 409 for a pledge that no longer stands",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 404, 409]),
        .init(method: "post", path: "/v1/pickups",
              summary: "A leader hands a pledge out by its code (admins name the leader_id): 422 not a code, 404 wrong or unknown code, 409 another point's pledge, already collected, balance owed, goods not received",
              roles: ["leader", "admin"], body: "PickupInput", success: 201, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "get", path: "/v1/pickups",
              summary: "A leader's hand-out list, soonest ready first (?status=uncollected|collected|all, ?older_than_days=N for goods waiting longer, ?limit=; admins add ?leader_id=)",
              roles: ["leader", "admin"], body: nil, success: 200, errors: [401, 403, 404, 422],
              query: [("status", "string", false), ("older_than_days", "integer", false), ("limit", "integer", false), ("leader_id", "integer", false)]),
        .init(method: "get", path: "/v1/forecasts/campaigns/{id}",
              summary: "Projected final quantity (P10/P50/P90), tipping probability, firm vs projected units, conversion by deposit band and channel, and the projected curve ({id}.csv or Accept: text/csv for CSV)",
              roles: ["admin", "planner"], body: nil, success: 200, errors: [401, 403, 404]),
        .init(method: "get", path: "/v1/forecasts/skus",
              summary: "Every SKU's weekly plan at once, by SKU, from one pass over the data (?category=, ?supplier_id=, ?weeks=1-52, ?limit=1-1000 default 100, ?after=SKU for the next page; next_after names it); Accept: text/csv for one row per SKU and week",
              roles: ["admin", "planner"], body: nil, success: 200, errors: [401, 403, 422],
              query: [("category", "string", false), ("supplier_id", "integer", false), ("weeks", "integer", false), ("limit", "integer", false), ("after", "string", false)]),
        .init(method: "get", path: "/v1/forecasts/skus.csv",
              summary: "Every SKU's weekly plan as CSV, one row per SKU and week, unpaged (?category=, ?supplier_id=, ?weeks=1-52)",
              roles: ["admin", "planner"], body: nil, success: 200, errors: [401, 403, 422],
              query: [("category", "string", false), ("supplier_id", "integer", false), ("weeks", "integer", false)]),
        .init(method: "get", path: "/v1/forecasts/campaigns",
              summary: "Every live campaign's projection at once, soonest close first: P10/P50/P90 final units, P(tip), firm and projected units",
              roles: ["admin", "planner"], body: nil, success: 200, errors: [401, 403]),
        .init(method: "get", path: "/v1/forecasts/skus/{sku}",
              summary: "Weekly plan (?weeks=1-52, default 8): firm and projected demand, recommended orders under proportional order-up-to, and bullwhip ratios (actual, classic, recommended) over 25 weeks ({sku}.csv or Accept: text/csv for CSV)",
              roles: ["admin", "planner"], body: nil, success: 200, errors: [401, 403, 404, 422], query: [("weeks", "integer", false)]),
        .init(method: "post", path: "/v1/leaders", summary: "Register a group leader (团长): referral code, pickup point, commission in basis points, member limit (default 500)",
              roles: ["admin"], body: "LeaderInput", success: 201, errors: [400, 401, 403, 409, 415, 422]),
        .init(method: "get", path: "/v1/leaders", summary: "List group leaders", roles: ["admin", "planner", "storefront"], body: nil,
              success: 200, errors: [401, 403]),
        .init(method: "get", path: "/v1/leaders/{id}", summary: "One leader with the commission earned (net of reversals)",
              roles: ["admin", "planner", "storefront"], body: nil, success: 200, errors: [401, 403, 404]),
        .init(method: "get", path: "/v1/leaders/{id}/pick-list",
              summary: "What the leader hands out for ?campaign=ID: consumers and quantities, totals, member-limit flag (Accept: text/csv for CSV)",
              roles: ["admin", "planner", "storefront"], body: nil, success: 200, errors: [401, 403, 404, 422], query: [("campaign", "integer", true)]),
        .init(method: "get", path: "/v1/leaders/{id}/pick-list.csv", summary: "The same pick list as CSV",
              roles: ["admin", "planner", "storefront"], body: nil, success: 200, errors: [401, 403, 404, 422], query: [("campaign", "integer", true)]),
        .init(method: "get", path: "/v1/teams/{code}", summary: "A team-buy team by its share code: size, members, spots left, expiry",
              roles: [], body: nil, success: 200, errors: [404]),
        .init(method: "post", path: "/v1/subscriptions",
              summary: "Subscribe to a standing order (requires Idempotency-Key): quantity every cadence_weeks from the first open week, for periods deliveries or open-ended; the deposit is held until it ends",
              roles: ["admin", "storefront"], body: "SubscriptionInput", success: 201, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "get", path: "/v1/subscriptions", summary: "List subscriptions (?sku=&consumer_id=&status=)",
              roles: ["admin", "planner", "storefront"], body: nil, success: 200, errors: [401, 403, 422], query: [("sku", "string", false), ("consumer_id", "string", false), ("status", "string", false)]),
        .init(method: "get", path: "/v1/subscriptions/{id}", summary: "One subscription with its deliveries and the next delivery weeks",
              roles: ["admin", "planner", "storefront"], body: nil, success: 200, errors: [401, 403, 404]),
        .init(method: "post", path: "/v1/subscriptions/{id}/skip", summary: "Skip one delivery week before its cut-off (fixed-length subscriptions end a period later)",
              roles: ["admin", "storefront"], body: "SkipInput", success: 200, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "post", path: "/v1/subscriptions/{id}/pause", summary: "Pause from a week still open (default the first) until a week (exclusive) or until resumed",
              roles: ["admin", "storefront"], body: "PauseInput", success: 200, errors: [400, 401, 403, 404, 409, 415, 422]),
        .init(method: "post", path: "/v1/subscriptions/{id}/resume", summary: "End a pause from the first week still open",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 404, 409]),
        .init(method: "post", path: "/v1/subscriptions/{id}/cancel",
              summary: "Cancel with notice: weeks cut off within the notice period (7 days) are still delivered; the deposit returns when the last one is cut off",
              roles: ["admin", "storefront"], body: nil, success: 200, errors: [401, 403, 404, 409]),
        .init(method: "get", path: "/v1/tokens", summary: "Issued tokens by role, label, creation, last use and revocation (never the token itself)",
              roles: ["admin"], body: nil, success: 200, errors: [401, 403, 422], query: [("role", "string", false)]),
        .init(method: "post", path: "/v1/tokens/{id}/revoke", summary: "Revoke a token: it stops working at once on this server, within a second on others",
              roles: ["admin"], body: nil, success: 200, errors: [401, 403, 404]),
    ]

    static let schemas: JSONValue = [
        "Error": ["type": "object", "required": ["error"], "properties": [
            "error": ["type": "object", "required": ["code", "message"], "properties": [
                "code": ["type": "string", "description": "Stable machine-readable code, e.g. sold_out, campaign_closed, invalid_field"],
                "message": ["type": "string"]]]]],
        "SupplierInput": ["type": "object", "required": ["name"], "additionalProperties": false, "properties": [
            "name": ["type": "string"], "endpoint_url": ["type": "string", "format": "uri"],
            "webhook_secret": ["type": "string", "pattern": "^whsec_"],
            "order_cut_off": ["type": "string", "pattern": "^(immediate|[0-2][0-9]:[0-5][0-9])$"],
            "utc_offset_minutes": ["type": "integer", "minimum": -840, "maximum": 840]]],
        "OrderCycleInput": ["type": "object", "additionalProperties": false, "properties": [
            "order_cut_off": ["type": "string", "pattern": "^(immediate|[0-2][0-9]:[0-5][0-9])$"],
            "utc_offset_minutes": ["type": "integer", "minimum": -840, "maximum": 840]]],
        "ProductInput": ["type": "object", "required": ["sku", "supplier_id", "name", "unit_cost_minor"], "additionalProperties": false,
                         "properties": ["sku": ["type": "string"], "supplier_id": ["type": "integer"], "name": ["type": "string"],
                                        "case_pack": ["type": "integer", "minimum": 1], "minimum_order_quantity": ["type": "integer", "minimum": 0],
                                        "unit_cost_minor": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.unitAmountMinor)], "currency": ["type": "string"],
                                        "capacity": ["type": "integer"], "category": ["type": "string"],
                                        "lead_days": ["type": "integer", "minimum": 0, "maximum": 365, "description": "Days from an order to its delivery (1: next day; default 14)"],
                                        "rounding": ["type": "string", "enum": ["up", "nearest", "down"], "description": "How confirmed units that do not fill a case are ordered: up (default), nearest (down within rounding_tolerance, refunding the last-arrived lines), down (never more than confirmed)"],
                                        "rounding_tolerance": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.casePack), "description": "With nearest: round down when at most this many units do not fill a case"],
                                        "below_minimum": ["type": "string", "enum": ["round_up", "drop"], "description": "An order below the MOQ: round up to it (default) or drop the line, refunding it"],
                                        "style": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$", "description": "The style this SKU is a variant of"],
                                        "attributes": ["type": "object", "maxProperties": .int(Int64(ProductAttribute.maximumCount)),
                                                       "additionalProperties": ["type": "string", "maxLength": 64],
                                                       "description": "What tells the variant apart, in order, e.g. {\"colour\": \"navy\", \"size\": \"XL\"}; needs style"]]],
        "CampaignInput": ["type": "object", "required": ["title", "closes_at", "threshold", "tiers"], "additionalProperties": false,
                          "description": "sku is required unless items are given (then it is the first item's)",
                          "properties": [
                            "sku": ["type": "string"], "title": ["type": "string"],
                            "items": ["type": "array", "minItems": 1, "maxItems": .int(Int64(Bounds.campaignItems)),
                                      "description": "Several items (sizes, colours, add-ons) of one supplier; threshold, tiers and cap count every unit",
                                      "items": ["type": "object", "required": ["sku"], "additionalProperties": false, "properties": [
                                        "sku": ["type": "string"],
                                        "price_delta_minor": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.unitAmountMinor),
                                                              "description": "Added to the tier price per unit (XXL +20.00); the full price stays within the unit bound"],
                                        "cap": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.campaignUnits), "description": "Units of this item; within the campaign's cap"]]]],
                            "delivery_at": ["type": "string", "format": "date-time", "description": "When its goods reach the pickup points (not before closes_at); default the product's lead time after the close"],
                            "style_minimum": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.campaignUnits),
                                              "description": "The factory's run: every style among the items must reach it for the campaign to tip"],
                            "opens_at": ["type": "string", "format": "date-time"], "closes_at": ["type": "string", "format": "date-time"],
                            "cancellation_deadline": ["type": "string", "format": "date-time"],
                            "balance_due_at": ["type": "string", "format": "date-time"],
                            "threshold": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.campaignUnits)],
                            "cap": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.campaignUnits)],
                            "tiers": ["type": "array", "minItems": 1, "items": ["type": "object", "required": ["min_quantity", "unit_price_minor"],
                                                                                "properties": ["min_quantity": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.campaignUnits)],
                                                                                               "unit_price_minor": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.unitAmountMinor)]]]],
                            "deposit_per_unit_minor": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.unitAmountMinor)],
                            "max_per_pledge": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.pledgeQuantity)],
                            "forfeit_deposit_on_default": ["type": "boolean"], "publish": ["type": "boolean"],
                            "description": ["type": "string", "maxLength": 2000],
                            "deposit_credit_per_unit_minor": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.unitAmountMinor), "description": "What a paid deposit counts against the price per unit (定金膨胀); at least the deposit, at most the lowest price"],
                            "max_per_consumer": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.campaignUnits), "description": "Most units one consumer may hold across their pledges (409 consumer_limit)"],
                            "time_zone": ["type": "string", "maxLength": 64, "description": "IANA zone its pages show times in, e.g. Asia/Shanghai (default: the deployment's)"],
                            "team": ["type": "object", "description": "Team-buy (拼团) offer", "required": ["size", "window_seconds", "unit_price_minor"],
                                     "properties": ["size": ["type": "integer", "minimum": 2, "maximum": 50],
                                                    "window_seconds": ["type": "integer", "minimum": 60],
                                                    "unit_price_minor": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.unitAmountMinor)]]]]],
        "CampaignEditInput": ["type": "object", "additionalProperties": false, "minProperties": 1, "properties": [
            "title": ["type": "string", "maxLength": 200], "description": ["type": "string", "maxLength": 2000],
            "closes_at": ["type": "string", "format": "date-time"],
            "cap": ["type": ["integer", "null"], "minimum": 1, "maximum": .int(Bounds.campaignUnits)],
            "tiers": ["type": "array", "minItems": 1, "items": ["type": "object", "required": ["min_quantity", "unit_price_minor"],
                                                                "properties": ["min_quantity": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.campaignUnits)],
                                                                               "unit_price_minor": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.unitAmountMinor)]]]],
            "deposit_per_unit_minor": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.unitAmountMinor)]]],
        "BasketInput": ["type": "object", "required": ["consumer_id", "lines"], "additionalProperties": false, "properties": [
            "consumer_id": ["type": "string", "maxLength": 128],
            "lines": ["type": "array", "minItems": 1, "maxItems": .int(Int64(BasketRequest.maximumLines)), "description": "One line per campaign",
                      "items": ["type": "object", "required": ["campaign_id"], "additionalProperties": false,
                                "description": "quantity, or items in a campaign of several items", "properties": [
                        "campaign_id": ["type": "integer", "minimum": 1],
                        "quantity": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.pledgeQuantity)],
                        "items": ["$ref": "#/components/schemas/PledgeLines"]]]],
            "leader_code": ["type": "string"], "pickup_point": ["type": "string", "maxLength": 200],
            "deposit_payment_ref": ["type": "string", "maxLength": 200, "description": "The one payment that took every line's deposit"],
            "partial": ["type": "boolean", "description": "Place the lines that fit and report the others (default: all or nothing)"]]],
        "WebhookEndpointInput": ["type": "object", "required": ["url", "event_types"], "additionalProperties": false, "properties": [
            "url": ["type": "string", "maxLength": 2048, "description": "http(s) URL the events are POSTed to"],
            "event_types": ["type": "array", "minItems": 1, "maxItems": 64, "items": ["type": "string"],
                            "description": "Event types (pledge.created), patterns (refund.*) or *"],
            "secret": ["type": "string", "description": "whsec_ + base64 of 24-64 bytes; generated when omitted"],
            "description": ["type": "string", "maxLength": 200],
            "after_seq": ["type": "integer", "minimum": 0, "description": "Send events after this one (default: from now on)"]]],
        "WebhookEndpointEditInput": ["type": "object", "additionalProperties": false, "minProperties": 1, "properties": [
            "url": ["type": "string", "maxLength": 2048], "event_types": ["type": "array", "minItems": 1, "items": ["type": "string"]],
            "description": ["type": ["string", "null"], "maxLength": 200], "disabled": ["type": "boolean"]]],
        "RotateSecretInput": ["type": "object", "additionalProperties": false, "properties": [
            "secret": ["type": "string", "description": "whsec_ + base64; generated when omitted"]]],
        "Basket": ["type": "object", "required": ["id", "consumer_id", "partial", "placed_count", "refused_count", "deposits", "lines", "created_at"],
                   "properties": [
            "id": ["type": "integer"], "consumer_id": ["type": "string"], "pickup_point": ["type": ["string", "null"]],
            "deposit_payment_ref": ["type": ["string", "null"]], "partial": ["type": "boolean"],
            "placed_count": ["type": "integer"], "refused_count": ["type": "integer"],
            "deposits": ["type": "array", "items": ["type": "object", "properties": ["currency": ["type": "string"], "amount_minor": ["type": "integer"]]]],
            "lines": ["type": "array", "items": ["type": "object", "required": ["line", "campaign_id", "quantity", "status"], "properties": [
                "line": ["type": "integer"], "campaign_id": ["type": "integer"], "quantity": ["type": "integer"],
                "status": ["type": "string", "enum": ["placed", "refused"]],
                "pledge": ["type": "object", "description": "The pledge the line became (placed lines)"],
                "error": ["type": "object", "description": "Why the line was refused (partial baskets): code, field, message"]]]],
            "created_at": ["type": "string", "format": "date-time"]]],
        "EventPage": ["type": "object", "required": ["events", "next_after", "has_more"], "properties": [
            "events": ["type": "array", "items": ["$ref": "#/components/schemas/Event"]],
            "next_after": ["type": "integer", "description": "Pass as ?after= for the next page"],
            "has_more": ["type": "boolean"]]],
        "Event": ["type": "object", "description": "One state change: the body of an events webhook (signed per Standard Webhooks, webhook-id = id) and one item of GET /v1/events",
                  "required": ["id", "seq", "type", "timestamp", "campaign_id", "data"], "properties": [
                    "id": ["type": "string", "description": "evt_<seq>: stable, dedupe by it"],
                    "seq": ["type": "integer", "description": "Commit order"],
                    "type": ["type": "string", "enum": .array(EventType.allCases.map { .string($0.rawValue) })],
                    "timestamp": ["type": "string", "format": "date-time"],
                    "campaign_id": ["type": ["integer", "null"]],
                    "data": ["type": "object", "description": "The resource (campaign, pledge, refund, team, purchase order, subscription) as it was right after the change"]]],
        "RefundCompletionInput": ["type": "object", "required": ["reference"], "additionalProperties": false, "properties": [
            "reference": ["type": "string", "minLength": 1, "maxLength": 200, "description": "The payment provider's refund reference"]]],
        "PaymentInput": ["type": "object", "required": ["amount_minor", "reference"], "additionalProperties": false, "properties": [
            "amount_minor": ["type": "integer", "description": "Exactly the balance owed: the total less the deposit"],
            "reference": ["type": "string", "minLength": 1, "maxLength": 200, "description": "The payment provider's reference"]]],
        "PledgeLines": ["type": "array", "minItems": 1, "maxItems": .int(Int64(Bounds.campaignItems)),
                        "description": "What of each item, one line per SKU; the pledge's quantity is their sum",
                        "items": ["type": "object", "required": ["sku", "quantity"], "additionalProperties": false, "properties": [
                            "sku": ["type": "string"], "quantity": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.pledgeQuantity)]]]],
        "PledgeInput": ["type": "object", "required": ["consumer_id"], "additionalProperties": false,
                        "description": "quantity, or lines in a campaign of several items (quantity may then be left out or equal their sum)", "properties": [
            "consumer_id": ["type": "string", "maxLength": 128], "quantity": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.pledgeQuantity)],
            "lines": ["$ref": "#/components/schemas/PledgeLines"],
            "leader_code": ["type": "string"],
            "pickup_point": ["type": "string", "description": "defaults to the leader's pickup point"],
            "deposit_payment_ref": ["type": "string"],
            "open_team": ["type": "boolean", "description": "start a team-buy team (the answer carries its share code)"],
            "team_code": ["type": "string", "description": "join this team-buy team"]]],
        "LeaderInput": ["type": "object", "required": ["code", "name", "pickup_point", "commission_bps"], "additionalProperties": false, "properties": [
            "code": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"], "name": ["type": "string"], "pickup_point": ["type": "string"],
            "commission_bps": ["type": "integer", "minimum": 0, "maximum": 5000], "member_limit": ["type": "integer", "minimum": 1]]],
        "SubscriptionInput": ["type": "object", "required": ["consumer_id", "sku", "quantity", "unit_price_minor"], "additionalProperties": false,
                              "properties": [
            "consumer_id": ["type": "string", "maxLength": 128], "sku": ["type": "string"],
            "quantity": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.subscriptionQuantity)],
            "cadence_weeks": ["type": "integer", "minimum": 1, "maximum": 8, "description": "1 = weekly (default)"],
            "start": ["type": "string", "format": "date-time", "description": "first delivery week (Monday 00:00 UTC) at or after this; default the first week still open"],
            "periods": ["type": "integer", "minimum": 1, "description": "number of deliveries; omit for open-ended"],
            "unit_price_minor": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.unitAmountMinor)],
            "deposit_minor": ["type": "integer", "minimum": 0, "description": "at most four periods' price"],
            "leader_code": ["type": "string"], "pickup_point": ["type": "string"]]],
        "SkipInput": ["type": "object", "required": ["week"], "additionalProperties": false, "properties": [
            "week": ["type": "string", "format": "date-time", "description": "Monday 00:00 UTC of the week to skip"]]],
        "PauseInput": ["type": "object", "additionalProperties": false, "properties": [
            "from": ["type": "string", "format": "date-time"], "until": ["type": "string", "format": "date-time", "description": "first week delivered again; omit to pause until resumed"]]],
        "AcknowledgementInput": ["type": "object", "required": ["decision"], "additionalProperties": false, "properties": [
            "decision": ["type": "string", "enum": ["accepted", "partially_accepted", "rejected"]],
            "lines": ["type": "array", "description": "partially_accepted only: every line's accepted quantity",
                      "items": ["type": "object", "required": ["sku", "accepted_quantity"],
                                "properties": ["sku": ["type": "string"], "accepted_quantity": ["type": "integer", "minimum": 0]]]],
            "promised_ship_date": ["type": "string", "description": "2026-12-01 or an RFC 3339 time; required unless rejected"],
            "reason": ["type": "string", "description": "required for partially_accepted and rejected"]]],
        "PickupPointInput": ["type": "object", "required": ["name"], "additionalProperties": false, "properties": [
            "name": ["type": "string", "maxLength": 200], "address": ["type": "string", "maxLength": 500],
            "opening_hours": ["type": "string", "maxLength": 200], "time_zone": ["type": "string", "maxLength": 64],
            "capacity_per_day": ["type": "integer", "minimum": 1, "maximum": .int(Bounds.campaignUnits)], "leader_id": ["type": "integer"]]],
        "PickupPointEditInput": ["type": "object", "additionalProperties": false, "properties": [
            "address": ["type": ["string", "null"], "maxLength": 500], "opening_hours": ["type": ["string", "null"], "maxLength": 200],
            "time_zone": ["type": ["string", "null"], "maxLength": 64],
            "capacity_per_day": ["type": ["integer", "null"], "minimum": 1, "maximum": .int(Bounds.campaignUnits)], "leader_id": ["type": ["integer", "null"]]]],
        "PickupInput": ["type": "object", "required": ["code"], "additionalProperties": false, "properties": [
            "code": ["type": "string", "maxLength": 40, "description": "The code the consumer shows, e.g. 18342-7KQ2MZ (case, spaces and I/L/O for 1/1/0 forgiven)"],
            "leader_id": ["type": "integer", "description": "Admins only: the leader handing out"]]],
        "ReceiptInput": ["type": "object", "additionalProperties": false, "properties": [
            "lines": ["type": "array", "maxItems": .int(Int64(Bounds.campaignItems)), "description": "What arrived per line; a line left out arrived as it was to ship",
                      "items": ["type": "object", "required": ["sku", "received_quantity"], "additionalProperties": false,
                                "properties": ["sku": ["type": "string"], "received_quantity": ["type": "integer", "minimum": 0, "maximum": .int(Bounds.campaignUnits)]]]],
            "note": ["type": "string", "maxLength": 1000]]],
        "PurchaseOrderWebhook": ["type": "object", "description": "Body POSTed to a supplier's endpoint_url, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>)",
                                 "required": ["type", "timestamp", "data"], "properties": [
                                    "type": ["type": "string", "const": "purchase_order.created"],
                                    "timestamp": ["type": "string", "format": "date-time"],
                                    "data": ["type": "object", "description": "The purchase order, as GET /v1/purchase-orders/{id} without delivery"]]],
    ]

    static var json: JSONValue {
        var paths: [String: [JSONValue.Field]] = [:]
        for op in operations {
            var fields: [JSONValue.Field] = [.init("summary", .string(op.summary))]
            var parameters: [JSONValue] = []
            if op.path.contains("{id}") {
                parameters.append(["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]])
            }
            for name in ["code", "sku", "consumer"] where op.path.contains("{\(name)}") {
                parameters.append(["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]])
            }
            for q in op.query {
                parameters.append(["name": .string(q.name), "in": "query", "required": .bool(q.required), "schema": ["type": .string(q.type)]])
            }
            if op.body == "PledgeInput" || op.body == "SubscriptionInput" || op.body == "BasketInput" || op.body == "PaymentInput" {
                parameters.append(["name": "Idempotency-Key", "in": "header", "required": true, "schema": ["type": "string", "maxLength": 255]])
            }
            if !parameters.isEmpty { fields.append(.init("parameters", .array(parameters))) }
            if let body = op.body {
                fields.append(.init("requestBody", ["required": .bool(body != "PauseInput" && body != "RotateSecretInput"), "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(body)")]]]]))
            }
            fields.append(.init("security", op.roles.isEmpty ? [] : [["bearer": .array(op.roles.map { .string($0) })]]))
            var success: [JSONValue.Field] = [.init("description", "Success")]
            if let answer = op.answer {
                success.append(.init("content", ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(answer)")]]]))
            }
            var responses: [JSONValue.Field] = [.init(String(op.success), .object(success))]
            for status in op.statuses {
                responses.append(.init(String(status), ["description": .string(statusText(status)),
                                                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]))
            }
            fields.append(.init("responses", .object(responses)))
            paths[op.path, default: []].append(.init(op.method, .object(fields)))
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Tuan", "version": "1.0.0",
                     "description": .string("Demand aggregation and C2M group pre-orders. Money is integer minor units (*_minor) with a currency; times are RFC 3339. "
                        + "Bounds: amounts per unit at most \(Bounds.unitAmountMinor) minor units, a pledge at most \(Bounds.pledgeQuantity) units, "
                        + "a campaign at most \(Bounds.campaignUnits) units; a write that would take a ledger balance past 64 bits is refused with 422 amount_overflow.")],
            "paths": .object(paths.keys.sorted().map { .init($0, .object(paths[$0]!)) }),
            "components": ["schemas": schemas,
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "Token from `tuan token create --role ROLE`"]]],
        ]
    }

    static func statusText(_ status: Int) -> String {
        switch status {
        case 400: return "Malformed request or JSON, or missing Idempotency-Key"
        case 401: return "Missing or unknown bearer token"
        case 403: return "Role not allowed"
        case 404: return "Not found"
        case 409: return "Conflicts with the current state (sold_out, campaign_closed, idempotency_conflict, …)"
        case 413: return "Body too large"
        case 415: return "Body is not application/json"
        case 422: return "A field is invalid (the message names it), or an amount would overflow (amount_overflow)"
        default: return "Error"
        }
    }
}

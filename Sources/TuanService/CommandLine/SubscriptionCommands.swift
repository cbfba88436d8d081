import Foundation
import TuanDomain
import TuanApp

/// Standing weekly orders: subscribe, change within the cut-off rules, and cut weeks off.
enum SubscriptionCommands {
    static var all: [CommandSpec] { [add, list, show, skip, pause, resume, cancel, cutOff, moveWeeks] }

    static let add = CommandSpec(
        path: ["subscription", "add"], summary: "subscribe a consumer to a standing order (a box every week)",
        options: [.value("consumer", "ID", "consumer id", required: true),
                  .value("sku", "SKU", "product", required: true),
                  .value("quantity", "N", "units per delivery", required: true),
                  .value("price", "AMOUNT", "unit price agreed", required: true),
                  .value("every", "WEEKS", "cadence in weeks (default 1: weekly)"),
                  .value("start", "TIME", "first delivery week at or after this (default: the first week still open)"),
                  .value("periods", "N", "number of deliveries (default: open-ended)"),
                  .value("deposit", "AMOUNT", "deposit held until the subscription ends (default 0)"),
                  .value("leader", "CODE", "group leader's referral code"),
                  .value("pickup", "POINT", "pickup point (default the leader's)"),
                  .value("key", "KEY", "idempotency key (default: random); reuse it to retry safely")]
    ) { args, ctx in
        let app = try ctx.app(), now = ctx.now
        let sku = try args.string("sku")
        let currency = try app.snapshotBlocking { try $0.requireProduct(sku: sku).unitCost.currency }
        let deposit = try args.value("deposit").map { v throws(DomainError) in try Money.parse(v, currency: currency, field: "deposit") }
        let request = try SubscriptionRequest(
            consumerID: args.string("consumer"), sku: sku, quantity: args.requiredInt("quantity"),
            cadenceWeeks: try args.int("every") ?? 1, start: args.timestamp("start"), periods: args.int("periods"),
            unitPrice: Money.parse(args.string("price"), currency: currency, field: "price"), deposit: deposit ?? .zero(currency),
            leaderCode: args.value("leader"), pickupPoint: args.value("pickup"), policy: app.subscriptionPolicy, at: now)
        let key = args.value("key") ?? UUID().uuidString
        let outcome = try app.subscribe(request, scope: "cli", idempotencyKey: key, at: now).runBlocking()
        let s = outcome.subscription
        return CommandOutput(text: describe(s) + (outcome.replayed ? " (already recorded)" : ""), json: s.json())
    }

    static let list = CommandSpec(
        path: ["subscription", "list"], summary: "list subscriptions",
        options: [.value("sku", "SKU", "only this product"), .value("consumer", "ID", "only this consumer"),
                  .value("status", "STATUS", "active, paused, cancelled or ended")]
    ) { args, ctx in
        let status = try args.value("status").map { text throws(DomainError) -> Subscription.Status in
            guard let status = Subscription.Status(rawValue: text) else { throw .invalid("status", "must be active, paused, cancelled or ended") }
            return status
        }
        let sku = args.value("sku"), consumer = args.value("consumer")
        let list = try ctx.app().subscriptions(sku: sku, consumerID: consumer, status: status).runBlocking()
        return CommandOutput(text: list.map(describe).joined(separator: "\n"), json: .array(list.map { $0.json() }))
    }

    static let show = CommandSpec(path: ["subscription", "show"], summary: "show a subscription, its deliveries and next weeks",
                                  positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now, app = try ctx.app()
        let (s, delivered) = try app.snapshotBlocking { db in (try db.requireSubscription(id: id), try db.deliveries(subscriptionID: id)) }
        let upcoming = s.upcomingWeeks(policy: app.subscriptionPolicy, at: now)
        var lines = [describe(s)]
        lines += delivered.map { "  delivered week of \($0.week): \($0.quantity) (\($0.purchaseOrderID.map { "order \($0)" } ?? "waiting for the supplier's cut-off"))" }
        lines += upcoming.map { "  next: week of \($0)" }
        return CommandOutput(text: lines.joined(separator: "\n"), json: s.json(upcoming: upcoming, delivered: delivered))
    }

    static let skip = change(["subscription", "skip"], "skip one delivery week before its cut-off",
                             options: [.value("week", "TIME", "Monday 00:00 UTC of the week to skip", required: true)]) { args in
        .skip(week: try args.timestamp("week")!)
    }
    static let pause = change(["subscription", "pause"], "pause deliveries (from the first open week unless --from)",
                              options: [.value("from", "TIME", "first paused week"),
                                        .value("until", "TIME", "first week delivered again (default: until resumed)")]) { args in
        .pause(from: try args.timestamp("from"), until: try args.timestamp("until"))
    }
    static let resume = change(["subscription", "resume"], "resume a paused subscription from the first open week") { _ in .resume }
    static let cancel = change(["subscription", "cancel"], "cancel with notice; weeks cut off within it are still delivered") { _ in .cancel }

    static let cutOff = CommandSpec(
        path: ["subscription", "cut-off"], summary: "cut off every subscription week that is due now (the server does this on its own)"
    ) { _, ctx in
        let app = try ctx.app(), now = ctx.now
        let weeks = try app.subscriptionWeeksDue(at: now).runBlocking()
        var results: [SubscriptionCutOff] = []
        for week in weeks { results.append(try app.cutOffWeek(week, at: now).runBlocking()) }
        return CommandOutput(
            text: results.isEmpty ? "no week is due" : results.map { c in
                "week of \(c.week): \(c.deliveries.count) deliveries, \(c.deliveries.reduce(0) { $0 + $1.quantity }) units, "
                    + "orders \(c.orders.map(\.number).joined(separator: ", "))"
            }.joined(separator: "\n"),
            json: .array(results.map(\.json)))
    }

    private static func change(_ path: [String], _ summary: String, options: [OptionSpec] = [],
                               _ make: @escaping @Sendable (ParsedArguments) throws -> SubscriptionChange) -> CommandSpec {
        CommandSpec(path: path, summary: summary, positionals: ["id"], options: options) { args, ctx in
            let id = try args.positionalID(0, name: "id"), change = try make(args), now = ctx.now
            let s = try ctx.app().changeSubscription(id: id, change, at: now).runBlocking()
            return CommandOutput(text: describe(s), json: s.json())
        }
    }

    static func describe(_ s: Subscription) -> String {
        var text = "subscription \(s.id) [\(s.status.rawValue)]: \(s.consumerID) × \(s.quantity) \(s.sku) every "
            + (s.cadenceWeeks == 1 ? "week" : "\(s.cadenceWeeks) weeks") + " from \(s.firstWeek)"
            + (s.periods.map { ", \(s.deliveredCount)/\($0) delivered" } ?? ", open-ended, \(s.deliveredCount) delivered")
        if let from = s.pausedFrom, s.status == .paused { text += ", paused from \(from)" + (s.pausedUntil.map { " until \($0)" } ?? "") }
        if s.status == .cancelled { text += s.lastWeek.map { ", last delivery week \($0)" } ?? "" }
        return text
    }

    /// Moves the stored weeks to another zone's Mondays, keeping their dates; refused while a
    /// server is serving the database (its scheduler holds the old grid).
    static let moveWeeks = CommandSpec(
        path: ["subscription", "move-weeks"], summary: "move subscription weeks to Mondays in another time zone, keeping their dates",
        options: [.value("time-zone", "ZONE", "IANA zone whose Mondays the weeks start on, e.g. Asia/Shanghai", required: true)]
    ) { args, ctx in
        let name = try args.string("time-zone")
        guard let target = WeekGrids.grid(named: name) else {
            throw DomainError.invalid("time-zone", "\(name) is not a time zone this system knows (IANA names such as Asia/Shanghai)")
        }
        guard let lock = ServeLock.acquire(databasePath: ctx.path) else {
            throw DomainError(.conflict, field: "db", "a tuan server is serving \(ctx.path); stop it before moving the weeks")
        }
        defer { lock.release() }
        let app = try ctx.app()
        let current = app.subscriptionPolicy.weeks
        guard current != target else { return CommandOutput(text: "subscription weeks are already on Mondays \(name)", json: ["moved": 0]) }
        let moved = try app.moveSubscriptionWeeks(from: current, to: target).runBlocking()
        return CommandOutput(text: "moved \(moved) stored week(s) from Mondays \(current.identifier) to Mondays \(name)",
                             json: ["moved": .int(Int64(moved)), "from": .string(current.identifier), "to": .string(name)])
    }
}

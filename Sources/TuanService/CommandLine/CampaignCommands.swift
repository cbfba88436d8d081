import TuanDomain
import TuanApp

enum CampaignCommands {
    static var all: [CommandSpec] { [create, list, show, publish, close, cancel] }

    static let create = CommandSpec(
        path: ["campaign", "create"], summary: "create a group buy for a product",
        options: [.value("sku", "SKU", "product to sell (or --item for each of several)"),
                  .value("item", "SKU[:+DELTA][:CAP]", "an item of a campaign of several: SKU, price difference per unit, cap (e.g. dj-navy-xl:+20.00:50)",
                         repeatable: true),
                  .value("deliver-at", "TIME", "when its goods reach the pickup points, RFC 3339 (default the product's lead time after the close)"),
                  .value("style-minimum", "N", "units every style among the items must reach for the campaign to tip (the factory's run)"),
                  .value("title", "TEXT", "title shown to consumers", required: true),
                  .value("closes-at", "TIME", "deadline, RFC 3339", required: true),
                  .value("threshold", "N", "units needed for the campaign to tip", required: true),
                  .value("tier", "QTY:PRICE", "price tier: from QTY units everyone pays PRICE", required: true, repeatable: true),
                  .value("opens-at", "TIME", "when pledges open (default now)"),
                  .value("cap", "N", "most units that can be pledged"),
                  .value("deposit", "AMOUNT", "deposit per unit (default 0)"),
                  .value("cancel-by", "TIME", "last moment a pledge may be cancelled (default closes-at)"),
                  .value("balance-due", "TIME", "when confirmed pledges must pay (default closes-at + 7 days)"),
                  .value("max-per-pledge", "N", "largest quantity one pledge may ask for"),
                  .flag("refund-deposit-on-default", "refund rather than forfeit deposits of pledges that default"),
                  .flag("draft", "create as a draft; publish later with 'tuan campaign publish'"),
                  .value("team-size", "N", "offer team buys (拼团) of N people"),
                  .value("team-hours", "H", "hours a team has to fill (default 24)"),
                  .value("team-price", "AMOUNT", "unit price for members of a filled team"),
                  .value("time-zone", "ZONE", "IANA zone its pages show times in (default: the deployment's)"),
                  .value("max-per-consumer", "N", "most units one consumer may hold across their pledges"),
                  .value("deposit-credit", "AMOUNT", "what a paid deposit counts against the price per unit (定金膨胀; default the deposit)")]
    ) { args, ctx in
        let now = ctx.now
        let app = try ctx.app()
        let itemTexts = args.all("item")
        let firstItem = itemTexts.first.map { String($0.split(separator: ":", maxSplits: 1).first ?? "") }
        guard let sku = args.value("sku") ?? firstItem else { throw DomainError.invalid("sku", "is required (or --item)") }
        let currency = try app.snapshotBlocking { try $0.requireProduct(sku: sku).unitCost.currency }
        let items = try itemTexts.map { text throws(DomainError) in try item(text, currency: currency) }
        let tiers = try args.all("tier").enumerated().map { index, text throws(DomainError) -> PriceTier in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let quantity = Int64(parts[0]) else {
                throw .invalid("tier", "must look like QTY:PRICE, e.g. 100:9.90, got \"\(text)\"")
            }
            return PriceTier(minQuantity: quantity, unitPrice: try Money.parse(parts[1], currency: currency, field: "tier"))
        }
        let deposit = try args.value("deposit").map { v throws(DomainError) in try Money.parse(v, currency: currency, field: "deposit") }
        let team = try args.int("team-size").map { size throws(DomainError) -> TeamRule in
            guard let price = args.value("team-price") else { throw .invalid("team-price", "is required with --team-size") }
            return try TeamRule(size: size, windowSeconds: (try args.int("team-hours") ?? 24) * 3_600,
                                unitPrice: Money.parse(price, currency: currency, field: "team-price"))
        }
        let draft = try CampaignDraft(
            sku: sku, title: args.string("title"), opensAt: args.timestamp("opens-at") ?? now,
            closesAt: args.timestamp("closes-at")!, cancellationDeadline: args.timestamp("cancel-by"),
            balanceDueAt: args.timestamp("balance-due"), threshold: args.requiredInt("threshold"), cap: args.int("cap"),
            tiers: tiers, depositPerUnit: deposit ?? .zero(currency), maxPerPledge: args.int("max-per-pledge"),
            forfeitDepositOnDefault: !args.flag("refund-deposit-on-default"), team: team, maxPerConsumer: args.int("max-per-consumer"),
            depositCreditPerUnit: try args.value("deposit-credit").map { v throws(DomainError) in try Money.parse(v, currency: currency, field: "deposit-credit") },
            items: items, styleMinimum: args.int("style-minimum"))
            .inZone(try TuanAPI.knownTimeZone(args.value("time-zone")))
            .delivering(at: args.timestamp("deliver-at"))
        let publish = !args.flag("draft")
        let campaign = try app.createCampaign(draft, publish: publish, at: now).runBlocking()
        return CommandOutput(text: describe(campaign), json: campaign.json)
    }

    static let list = CommandSpec(
        path: ["campaign", "list"], summary: "list campaigns, newest first",
        options: [.value("status", "STATUS", "only campaigns in this state"), .value("limit", "N", "at most N (default 100)")]
    ) { args, ctx in
        let status = try args.value("status").map { s throws(DomainError) -> CampaignStatus in
            guard let status = CampaignStatus(rawValue: s) else {
                throw .invalid("status", "must be one of \(CampaignStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        let limit = Int(try args.int("limit") ?? 100)
        let campaigns = try ctx.app().campaigns(status: status, limit: limit).runBlocking()
        return CommandOutput(
            text: campaigns.map { c in
                "\(c.id)\t\(c.status.rawValue)\t\(c.pledgedQuantity)/\(c.threshold)\(c.cap.map { " cap \($0)" } ?? "")\t\(c.currentUnitPrice)\t\(c.title)"
            }.joined(separator: "\n"),
            json: .array(campaigns.map(\.json)))
    }

    static let show = CommandSpec(path: ["campaign", "show"], summary: "show one campaign", positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let campaign = try ctx.app().campaign(id: id).runBlocking()
        return CommandOutput(text: describe(campaign), json: campaign.json)
    }

    static let publish = CommandSpec(path: ["campaign", "publish"], summary: "open a draft campaign for pledges",
                                     positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let campaign = try ctx.app().publishCampaign(id: id, at: ctx.now).runBlocking()
        return CommandOutput(text: describe(campaign), json: campaign.json)
    }

    static let close = CommandSpec(
        path: ["campaign", "close"], summary: "close now: succeed if the threshold is reached, else fail and refund",
        positionals: ["id"]
    ) { args, ctx in
        try settle(args, ctx, reason: .closed)
    }

    static let cancel = CommandSpec(path: ["campaign", "cancel"], summary: "call a campaign off and refund every deposit",
                                    positionals: ["id"]) { args, ctx in
        try settle(args, ctx, reason: .cancelled)
    }

    static func settle(_ args: ParsedArguments, _ ctx: CommandContext, reason: CampaignSettlement.Reason) throws -> CommandOutput {
        let id = try args.positionalID(0, name: "id")
        let now = ctx.now
        let settlement = try ctx.app().closeCampaign(id: id, reason: reason, at: now).runBlocking()
        var text = describe(settlement.campaign)
        if let cutOffAt = settlement.cutOffAt {
            for d in settlement.demands {
                text += "\nconfirmed: \(d.confirmedQuantity) × \(d.sku), ordered at supplier \(d.supplierID)'s cut-off \(cutOffAt) with its other campaigns of the day"
            }
        } else if !settlement.demands.isEmpty {
            for d in settlement.demands {
                text += "\norder: \(d.orderQuantity) × \(d.sku) (confirmed \(d.confirmedQuantity), rounding surplus \(d.roundingSurplus)), cost \(d.cost)"
            }
            if let order = settlement.purchaseOrder { text += "\npurchase order \(order.number) (id \(order.id)) queued for delivery to supplier \(order.supplierID)" }
        } else {
            text += "\nrefunded \(settlement.pledgesRefunded) pledges"
        }
        return CommandOutput(text: text, json: settlement.json)
    }

    static func describe(_ c: Campaign) -> String {
        var lines = [
            "campaign \(c.id): \(c.title) [\(c.status.rawValue)]",
            "  sku \(c.sku), pledged \(c.pledgedQuantity) of threshold \(c.threshold)" + (c.cap.map { ", cap \($0)" } ?? "")
                + " from \(c.pledgeCount) pledges",
            "  price now \(c.currentUnitPrice)" + (c.finalUnitPrice != nil ? " (final)" : ""),
            "  tiers: " + c.schedule.tiers.map { "\($0.minQuantity)+ @ \($0.unitPrice.decimalString)" }.joined(separator: ", "),
            "  deposit \(c.depositPerUnit) per unit; closes \(c.closesAt); cancel by \(c.cancellationDeadline)",
        ]
        if let next = c.nextTier {
            lines.append("  \(next.unitsNeeded) more to unlock \(next.tier.unitPrice)")
        }
        for item in c.items {
            lines.append("  item \(item.sku): \(item.pledgedQuantity)" + (item.cap.map { " of cap \($0)" } ?? "")
                         + (item.priceDelta.isZero ? "" : ", +\(item.priceDelta.decimalString) a unit"))
        }
        if let minimum = c.styleMinimum {
            lines.append("  style minimum \(minimum): " + c.styles.map { "\($0) \(c.pledgedQuantity(style: $0))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

extension CampaignCommands {
    /// `SKU`, `SKU:+DELTA`, `SKU:CAP` or `SKU:+DELTA:CAP` (a delta is money, with its sign).
    static func item(_ text: String, currency: Currency) throws(DomainError) -> CampaignItem {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), !parts[0].isEmpty else {
            throw .invalid("item", "must look like SKU[:+DELTA][:CAP], e.g. dj-navy-xl:+20.00:50, got \"\(text)\"")
        }
        var delta = Money.zero(currency), cap: Int64?
        for part in parts.dropFirst() {
            if part.hasPrefix("+") {
                delta = try Money.parse(String(part.dropFirst()), currency: currency, field: "item")
            } else if let value = Int64(part) {
                cap = value
            } else {
                throw .invalid("item", "\(part) is neither a price difference (+20.00) nor a cap (50)")
            }
        }
        return try CampaignItem(sku: parts[0], priceDelta: delta, cap: cap)
    }
}

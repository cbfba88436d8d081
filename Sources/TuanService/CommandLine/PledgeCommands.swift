import Foundation
import TuanDomain
import TuanApp

enum PledgeCommands {
    static var all: [CommandSpec] { [add, cancel, pay, markDefault, show, list, code] }

    static let add = CommandSpec(
        path: ["pledge", "add"], summary: "pledge units in a campaign (the deposit is taken now)",
        options: [.value("campaign", "ID", "campaign id", required: true),
                  .value("consumer", "ID", "consumer id (name, phone, account)", required: true),
                  .value("quantity", "N", "units (or --line for each item of a campaign of several)"),
                  .value("line", "SKU:N", "N units of the item SKU, in a campaign of several items", repeatable: true),
                  .value("leader", "CODE", "group leader's referral code"),
                  .value("pickup", "POINT", "pickup point"),
                  .value("payment-ref", "REF", "payment provider's reference for the deposit"),
                  .value("team", "open|CODE", "team buy: 'open' starts a team, a code joins one"),
                  .value("key", "KEY", "idempotency key (default: random); reuse it to retry safely")]
    ) { args, ctx in
        let lines = try args.all("line").map { text throws(DomainError) -> PledgeLine.Request in
            let parts = text.split(separator: ":").map(String.init)
            guard parts.count == 2, let quantity = Int64(parts[1]) else { throw .invalid("line", "must look like SKU:N, got \"\(text)\"") }
            return PledgeLine.Request(sku: parts[0], quantity: quantity)
        }
        let request = try PledgeRequest(
            consumerID: args.string("consumer"), quantity: lines.isEmpty ? args.requiredInt("quantity") : args.int("quantity"), lines: lines,
            leaderCode: args.value("leader"),
            pickupPoint: args.value("pickup"), depositPaymentRef: args.value("payment-ref"),
            team: args.value("team").map { $0 == "open" ? .open : .join(code: $0) },
            idempotencyKey: args.value("key") ?? UUID().uuidString)
        let campaignID = try args.requiredInt("campaign"), now = ctx.now
        let outcome = try ctx.app().placePledge(campaignID: campaignID, request: request, scope: "cli", at: now).runBlocking()
        let p = outcome.pledge
        return CommandOutput(
            text: "pledge \(p.id): \(p.consumerID) × \(p.quantity) in campaign \(p.campaignID), deposit \(p.deposit)"
                + (p.lines.isEmpty ? "" : " (" + p.lines.map { "\($0.sku) × \($0.quantity)" }.joined(separator: ", ") + ")")
                + (outcome.replayed ? " (already recorded)" : "")
                + (outcome.team.map { "\nteam \($0.code): \($0.memberCount)/\($0.size) [\($0.status.rawValue)], fills by \($0.expiresAt)" } ?? "")
                + "\ncampaign \(outcome.campaign.id) now at \(outcome.campaign.pledgedQuantity)/\(outcome.campaign.threshold) [\(outcome.campaign.status.rawValue)]",
            json: p.json)
    }

    static let cancel = CommandSpec(path: ["pledge", "cancel"], summary: "cancel before the deadline; the deposit is refunded",
                                    positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        let (pledge, _) = try ctx.app().cancelPledge(id: id, at: now).runBlocking()
        return CommandOutput(text: "pledge \(pledge.id) cancelled, deposit \(pledge.deposit) refunded", json: pledge.json)
    }

    static let pay = CommandSpec(path: ["pledge", "pay"], summary: "record the balance payment of a confirmed pledge",
                                 positionals: ["id"],
                                 options: [.value("ref", "REF", "payment provider's reference (default: recorded by an operator)")]) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        let pledge = try ctx.app().payBalance(pledgeID: id, reference: args.value("ref") ?? "recorded by an operator", at: now).runBlocking()
        return CommandOutput(text: "pledge \(pledge.id) paid", json: pledge.json)
    }

    static let markDefault = CommandSpec(path: ["pledge", "default"],
                                         summary: "mark an unpaid confirmed pledge as defaulted after the balance deadline",
                                         positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id"), now = ctx.now
        let pledge = try ctx.app().defaultPledge(id: id, at: now).runBlocking()
        return CommandOutput(text: "pledge \(pledge.id) defaulted", json: pledge.json)
    }

    static let show = CommandSpec(path: ["pledge", "show"], summary: "show one pledge", positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let p = try ctx.app().pledge(id: id).runBlocking()
        var text = "pledge \(p.id) [\(p.status.rawValue)]: \(p.consumerID) × \(p.quantity) in campaign \(p.campaignID), deposit \(p.deposit)"
        for line in p.lines {
            text += "\n  \(line.sku) × \(line.quantity)" + (line.priceDeltaMinor == 0 ? "" : " (+\(Money(minor: line.priceDeltaMinor, currency: p.deposit.currency).decimalString) a unit)")
                + (line.status == .refunded ? " refunded" + (line.refundedAt.map { " at \($0)" } ?? "") : "")
        }
        if !p.lines.isEmpty, p.liveQuantity != p.quantity { text += "\n  standing: \(p.liveQuantity) units, deposit \(p.liveDeposit)" }
        return CommandOutput(text: text, json: p.json)
    }

    static let list = CommandSpec(path: ["pledge", "list"], summary: "list a campaign's pledges",
                                  options: [.value("campaign", "ID", "campaign id", required: true)]) { args, ctx in
        let id = try args.requiredInt("campaign")
        let pledges = try ctx.app().snapshotBlocking { db in
            _ = try db.requireCampaign(id: id)
            return try db.pledges(campaignID: id)
        }
        return CommandOutput(text: pledges.map { "\($0.id)\t\($0.status.rawValue)\t\($0.consumerID)\t×\($0.quantity)\t\($0.deposit)" }
                                .joined(separator: "\n"),
                             json: .array(pledges.map(\.json)))
    }
}

extension PledgeCommands {
    static let code = CommandSpec(path: ["pledge", "code"], summary: "the pickup code the consumer shows to collect a standing pledge (核销)",
                                  positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let (pledge, code) = try ctx.app().pickupCode(pledgeID: id).runBlocking()
        return CommandOutput(text: code, json: ["pledge_id": .int(pledge.id), "code": .string(code), "pickup_point": JSONValue(pledge.pickupPoint)])
    }
}

import Foundation
import TuanDomain
import TuanApp

/// Group leaders, their pick lists, and team-buy teams.
enum CommunityCommands {
    static var all: [CommandSpec] { [leaderAdd, leaderList, leaderShow, pickList, teamShow, pickupPointAdd, pickupPointList] }

    static let leaderAdd = CommandSpec(
        path: ["leader", "add"], summary: "register a group leader (团长) with a referral code and pickup point",
        options: [.value("code", "CODE", "referral code consumers give with their pledge", required: true),
                  .value("name", "TEXT", "leader's name", required: true),
                  .value("pickup", "POINT", "pickup point the leader runs", required: true),
                  .value("commission-bps", "N", "commission in basis points of what consumers pay (250 = 2.5%)", required: true),
                  .value("member-limit", "N", "consumers the leader's group holds (default 500)")]
    ) { args, ctx in
        let leader = try Leader(id: 0, code: args.string("code"), name: args.string("name"), pickupPoint: args.string("pickup"),
                                commissionBasisPoints: args.requiredInt("commission-bps"),
                                memberLimit: try args.int("member-limit") ?? Leader.defaultMemberLimit)
        let now = ctx.now
        let saved = try ctx.app().registerLeader(leader, at: now).runBlocking()
        return CommandOutput(text: "leader \(saved.id): \(saved.code) (\(saved.name)) at \(saved.pickupPoint), commission \(saved.commissionBasisPoints) bps",
                             json: saved.json)
    }

    static let leaderList = CommandSpec(path: ["leader", "list"], summary: "list group leaders") { _, ctx in
        let leaders = try ctx.app().leaders().runBlocking()
        return CommandOutput(text: leaders.map { "\($0.id)\t\($0.code)\t\($0.commissionBasisPoints) bps\t\($0.pickupPoint)\t\($0.name)" }
                                .joined(separator: "\n"),
                             json: .array(leaders.map(\.json)))
    }

    static let leaderShow = CommandSpec(path: ["leader", "show"], summary: "show a leader and the commission earned",
                                        positionals: ["id"]) { args, ctx in
        let id = try args.positionalID(0, name: "id")
        let (leader, earned) = try ctx.app().snapshotBlocking { db in
            let leader = try db.requireLeader(id: id)
            return (leader, try db.commissionEarned(leaderCode: leader.code))
        }
        let earnedText = earned.keys.sorted().map { "\($0) \(earned[$0]!)" }.joined(separator: ", ")
        return CommandOutput(text: "leader \(leader.id): \(leader.code) (\(leader.name)) at \(leader.pickupPoint)\n"
                                + "commission \(leader.commissionBasisPoints) bps; earned (minor units): \(earnedText.isEmpty ? "none" : earnedText)",
                             json: leader.json)
    }

    static let pickList = CommandSpec(
        path: ["leader", "pick-list"], summary: "what a leader hands out for a campaign (CSV with --csv)", positionals: ["id"],
        options: [.value("campaign", "ID", "campaign id", required: true), .flag("csv", "print CSV")]
    ) { args, ctx in
        let id = try args.positionalID(0, name: "id"), campaignID = try args.requiredInt("campaign")
        let list = try ctx.app().pickList(leaderID: id, campaignID: campaignID).runBlocking()
        if args.flag("csv") { return .csv(list.csv) }
        var lines = list.entries.map { "\($0.consumerID)\t×\($0.quantity)\t\($0.pickupPoint ?? "")\t[\($0.status.rawValue)]" }
        lines.append("total \(list.totalQuantity) units for \(list.consumerCount) consumer(s) at \(list.leader.pickupPoint)")
        if list.exceedsMemberLimit {
            lines.append("note: \(list.consumerCount) consumers is more than the group's limit of \(list.leader.memberLimit); every pledge is kept")
        }
        return CommandOutput(text: lines.joined(separator: "\n"), json: list.json)
    }

    static let teamShow = CommandSpec(path: ["team", "show"], summary: "show a team-buy team by its code",
                                      positionals: ["code"]) { args, ctx in
        let code = args.positionals[0]
        guard let team = try ctx.app().team(code: code).runBlocking() else {
            throw DomainError(.notFound, field: "team_code", "no team \(code)")
        }
        return CommandOutput(text: "team \(team.code) in campaign \(team.campaignID): \(team.memberCount)/\(team.size) [\(team.status.rawValue)], fills by \(team.expiresAt)",
                             json: team.json)
    }
}

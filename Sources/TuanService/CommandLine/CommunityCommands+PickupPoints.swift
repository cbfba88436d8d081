import TuanDomain
import TuanApp

extension CommunityCommands {
    static let pickupPointAdd = CommandSpec(
        path: ["pickup-point", "add"], summary: "record a pickup point: address, opening hours, capacity per delivery day, its leader",
        options: [.value("name", "NAME", "what pledges and leaders call it", required: true),
                  .value("address", "TEXT", "where it is"), .value("hours", "TEXT", "opening hours as shown, e.g. 16:00-20:00"),
                  .value("time-zone", "ZONE", "IANA zone of its hours"), .value("capacity", "N", "units it can hold per delivery day"),
                  .value("leader", "CODE", "the leader who runs it")]
    ) { args, ctx in
        let app = try ctx.app()
        let leaderID = try args.value("leader").map { code in try app.snapshotBlocking { db in
            guard let leader = try db.leader(code: code) else { throw DomainError(.notFound, field: "leader", "no group leader has the code \(code)") }
            return leader.id
        } }
        let point = try PickupPoint(id: 0, name: args.string("name"), address: args.value("address"), openingHours: args.value("hours"),
                                    timeZone: try TuanAPI.knownTimeZone(args.value("time-zone")), capacityPerDay: args.int("capacity"),
                                    leaderID: leaderID)
        let saved = try app.createPickupPoint(point).runBlocking()
        return CommandOutput(text: "pickup point \(saved.id): \(saved.name)", json: saved.json)
    }

    static let pickupPointList = CommandSpec(path: ["pickup-point", "list"], summary: "list pickup points") { _, ctx in
        let points = try ctx.app().pickupPoints().runBlocking()
        return CommandOutput(text: points.map { "\($0.id)\t\($0.name)\t\($0.capacityPerDay.map { "capacity \($0)/day" } ?? "-")\t\($0.address ?? "")" }
                                .joined(separator: "\n"),
                             json: .array(points.map(\.json)))
    }
}

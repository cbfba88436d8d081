import TuanDomain
import TuanHTTP
import TuanApp

/// Pickup points as records (自提点): where, when open, capacity per delivery day, who runs it.
extension TuanAPI {
    func addPickupPointRoutes(to router: inout Router<TuanContext>) {
        let app = self.app, clock = self.clock
        router.post("/v1/pickup-points") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["name", "address", "opening_hours", "time_zone", "capacity_per_day", "leader_id"])
            let point = try PickupPoint(id: 0, name: body.string("name"), address: body.optionalString("address"),
                                        openingHours: body.optionalString("opening_hours"),
                                        timeZone: try Self.knownTimeZone(body.optionalString("time_zone")),
                                        capacityPerDay: body.optionalInt("capacity_per_day"), leaderID: body.optionalInt("leader_id"))
            let created = try await app.createPickupPoint(point).run()
            return .json(201, created.json, headers: [("Location", "/v1/pickup-points/\(created.id)")])
        }
        router.get("/v1/pickup-points") { _, context in
            _ = try context.require(.admin, .planner, .storefront, .leader)
            return .json(200, ["pickup_points": .array(try await app.pickupPoints().run().map(\.json))])
        }
        router.get("/v1/pickup-points/{id}") { request, context in
            _ = try context.require(.admin, .planner, .storefront, .leader)
            let days = try request.query["days"].map { text throws -> Int in
                guard let days = Int(text), (1...60).contains(days) else { throw DomainError.invalid("days", "must be 1-60") }
                return days
            } ?? 7
            let (point, load) = try await app.pickupPoint(id: try context.id(), from: clock(), days: days).run()
            guard case .object(var fields) = point.json else { return .json(200, point.json) }
            fields.append(.init("load", .array(load.map { ["day": JSONValue($0.day), "units": .int($0.units), "over_capacity": .bool($0.overCapacity)] })))
            return .json(200, .object(fields))
        }
        router.patch("/v1/pickup-points/{id}") { request, context in
            _ = try context.require(.admin)
            let body = try request.jsonObject(allowed: ["address", "opening_hours", "time_zone", "capacity_per_day", "leader_id"])
            // Each field given (to a value or null) or left out: read before the edit, which runs on the writer.
            let address: String?? = body.contains("address") ? .some(try body.optionalString("address")) : nil
            let hours: String?? = body.contains("opening_hours") ? .some(try body.optionalString("opening_hours")) : nil
            let zone: String?? = body.contains("time_zone") ? .some(try Self.knownTimeZone(body.optionalString("time_zone"))) : nil
            let capacity: Int64?? = body.contains("capacity_per_day") ? .some(try body.optionalInt("capacity_per_day")) : nil
            let leader: Int64?? = body.contains("leader_id") ? .some(try body.optionalInt("leader_id")) : nil
            let edited = try await app.editPickupPoint(id: try context.id()) { point in
                try PickupPoint(id: point.id, name: point.name, address: address ?? point.address, openingHours: hours ?? point.openingHours,
                                timeZone: zone ?? point.timeZone, capacityPerDay: capacity ?? point.capacityPerDay,
                                leaderID: leader ?? point.leaderID)
            }.run()
            return .json(200, edited.json)
        }
    }
}

extension PickupPoint {
    var json: JSONValue {
        ["id": .int(id), "name": .string(name), "address": JSONValue(address), "opening_hours": JSONValue(openingHours),
         "time_zone": JSONValue(timeZone), "capacity_per_day": JSONValue(capacityPerDay), "leader_id": JSONValue(leaderID)]
    }
}

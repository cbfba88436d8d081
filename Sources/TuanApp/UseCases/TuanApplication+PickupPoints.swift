import TuanDomain

extension TuanApplication {
    public func createPickupPoint(_ point: PickupPoint) -> UseCase<PickupPoint> {
        UseCase(self, .write) { repositories in
            if let leaderID = point.leaderID { _ = try repositories.requireLeader(id: leaderID) }
            return try repositories.insertPickupPoint(point)
        }
    }

    public func pickupPoints() -> UseCase<[PickupPoint]> {
        UseCase(self, .read) { try $0.pickupPoints() }
    }

    /// A point and its load per delivery day for `days` from `from`, each day marked when over capacity.
    public func pickupPoint(id: Int64, from: Timestamp, days: Int) -> UseCase<(PickupPoint, [PickupPoint.DayLoad])> {
        UseCase(self, .read) { repositories in
            guard let point = try repositories.pickupPoint(id: id) else {
                throw DomainError(.notFound, field: "id", "pickup point \(id) does not exist")
            }
            let load = try repositories.pickupLoad(name: point.name, from: from, days: days).map { day, units in
                PickupPoint.DayLoad(day: day, units: units, overCapacity: point.capacityPerDay.map { units > $0 } ?? false)
            }
            return (point, load)
        }
    }

    /// Edits a point; its name stays (pledges, leaders and subscriptions name it by it).
    public func editPickupPoint(id: Int64, _ edit: @escaping @Sendable (PickupPoint) throws -> PickupPoint) -> UseCase<PickupPoint> {
        UseCase(self, .write) { repositories in
            guard let point = try repositories.pickupPoint(id: id) else {
                throw DomainError(.notFound, field: "id", "pickup point \(id) does not exist")
            }
            let edited = try edit(point)
            guard edited.name == point.name else { throw DomainError.invalid("name", "cannot change: pledges name the point by it") }
            if let leaderID = edited.leaderID { _ = try repositories.requireLeader(id: leaderID) }
            try repositories.savePickupPoint(edited)
            return edited
        }
    }
}

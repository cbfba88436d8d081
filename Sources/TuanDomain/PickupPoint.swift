/// Where consumers collect their goods (自提点): a record behind the name pledges, leaders and
/// subscriptions give. The name is the key they name it by; the rest is what a page, a pick
/// list and a planner need (where, when open, how much it can take per delivery day, who runs it).
public struct PickupPoint: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var address: String?
    /// As shown to consumers, e.g. "每天 16:00–20:00".
    public var openingHours: String?
    /// The IANA zone its hours are in; nil: the deployment's.
    public var timeZone: String?
    /// Units it can hold for one delivery day; nil: no limit given.
    public var capacityPerDay: Int64?
    /// The leader who runs it.
    public var leaderID: Int64?

    public init(id: Int64, name: String, address: String? = nil, openingHours: String? = nil, timeZone: String? = nil,
                capacityPerDay: Int64? = nil, leaderID: Int64? = nil) throws(DomainError) {
        try Validate.text(name, field: "name", maxLength: 200)
        if let address { try Validate.text(address, field: "address", maxLength: 500) }
        if let openingHours { try Validate.text(openingHours, field: "opening_hours", maxLength: 200) }
        if let timeZone {
            guard (1...64).contains(timeZone.utf8.count) else { throw .invalid("time_zone", "must be an IANA time zone name") }
        }
        if let capacityPerDay { try Validate.positive(capacityPerDay, field: "capacity_per_day", max: Bounds.campaignUnits) }
        self.init(restoringID: id, name: name, address: address, openingHours: openingHours, timeZone: timeZone,
                  capacityPerDay: capacityPerDay, leaderID: leaderID)
    }

    public init(restoringID id: Int64, name: String, address: String?, openingHours: String?, timeZone: String?,
                capacityPerDay: Int64?, leaderID: Int64?) {
        self.id = id
        self.name = name
        self.address = address
        self.openingHours = openingHours
        self.timeZone = timeZone
        self.capacityPerDay = capacityPerDay
        self.leaderID = leaderID
    }

    /// One delivery day's load: units due at the point that day, against its capacity.
    public struct DayLoad: Sendable, Equatable {
        public var day: Timestamp
        public var units: Int64
        public var overCapacity: Bool

        public init(day: Timestamp, units: Int64, overCapacity: Bool) {
            self.day = day
            self.units = units
            self.overCapacity = overCapacity
        }
    }
}

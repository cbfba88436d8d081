import TuanDomain

/// Pickup points as records, keyed by the name pledges, leaders and subscriptions give.
public protocol PickupPointRepository {
    func pickupPoints() throws -> [PickupPoint]
    func pickupPoint(id: Int64) throws -> PickupPoint?
    func pickupPoint(name: String) throws -> PickupPoint?
    func insertPickupPoint(_ point: PickupPoint) throws -> PickupPoint
    func savePickupPoint(_ point: PickupPoint) throws
    /// Units due at the point per delivery day (UTC days) from `from` on, over standing pledges
    /// (pledged, confirmed, paid) of live or succeeded campaigns, by the campaign's delivery date.
    func pickupLoad(name: String, from: Timestamp, days: Int) throws -> [(day: Timestamp, units: Int64)]
}

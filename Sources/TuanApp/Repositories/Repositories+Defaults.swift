import TuanDomain

/// The common forms of the repositories' queries: protocol requirements take every
/// argument, callers name only the ones that narrow.
extension Repositories {
    public func pledges(campaignID: Int64) throws -> [Pledge] { try pledges(campaignID: campaignID, status: nil) }

    public func purchaseOrders() throws -> [PurchaseOrder] { try purchaseOrders(PurchaseOrderFilter()) }
}

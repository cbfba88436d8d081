import TuanDomain
import TuanStore

/// The answer to a pledge request: the pledge, the campaign after it, the team-buy team it
/// opened or joined, and whether this was a replay of an earlier request with the same key.
public struct PledgeOutcome: Sendable {
    public var pledge: Pledge
    public var campaign: Campaign
    public var team: Team?
    public var replayed: Bool
}

extension Database {
    /// Places a pledge atomically with the campaign's running totals and the deposit posting.
    /// Idempotent per (`scope`, key): a retry with the same content returns the first pledge;
    /// different content under the same key is an `idempotency_conflict`.
    ///
    /// A retry is rare, so a plain pledge does not look for an earlier one first: the unique
    /// key on (scope, key) refuses the insert of a second one, and a refusal from the
    /// campaign (it may have filled or closed since the first) is checked against the key
    /// before it is answered. Both happen before this pledge writes anything. A team pledge
    /// writes its team before the pledge row, so it looks first.
    public func placePledge(campaignID: Int64, request: PledgeRequest, scope: String, at now: Timestamp) throws -> PledgeOutcome {
        let fingerprint = "\(campaignID)#" + request.fingerprint
        let lookFirst = request.team != nil
        if lookFirst, let replay = try replay(request, scope: scope, fingerprint: fingerprint) { return replay }
        let campaign: Campaign, updated: Campaign, deposit: Money, placed: PledgeRequest
        do {
            campaign = try requireCampaign(id: campaignID)
            updated = try campaign.accepting(quantity: request.quantity, at: now)
            deposit = try campaign.deposit(for: request.quantity)
            var checked = request
            checked.pickupPoint = try pickupPoint(leaderCode: request.leaderCode, given: request.pickupPoint)
            placed = checked
        } catch let refusal as DomainError where !lookFirst {
            if let replay = try replay(request, scope: scope, fingerprint: fingerprint) { return replay }
            throw refusal
        }
        let team = try request.team.map { try teamForPledge($0, consumerID: request.consumerID, campaign: campaign, at: now) }
        let id: Int64
        do {
            id = try connection.insert("""
                INSERT INTO pledges(campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point,
                                    deposit_payment_ref, idempotency_scope, idempotency_key, fingerprint, status, created_at, updated_at,
                                    team_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pledged', ?, ?, ?)
                """, [.integer(campaignID), .text(request.consumerID), .integer(request.quantity), .integer(deposit.minor),
                      .text(deposit.currency.code), SQLiteValue(placed.leaderCode), SQLiteValue(placed.pickupPoint),
                      SQLiteValue(request.depositPaymentRef), .text(scope), .text(request.idempotencyKey), .text(fingerprint),
                      .integer(now.seconds), .integer(now.seconds), SQLiteValue(team?.id)])
        } catch let error as SQLiteError where error.isUniqueViolation && !lookFirst {
            // The only unique key on pledges besides the id: an earlier pledge has this key.
            if let replay = try replay(request, scope: scope, fingerprint: fingerprint) { return replay }
            throw error
        }
        let pledge = Pledge(id: id, campaignID: campaignID, request: placed, deposit: deposit, teamID: team?.id, at: now)
        try saveCampaignState(updated, from: campaign)
        if !deposit.isZero { try post(.depositReceived(pledge), at: now) }
        return PledgeOutcome(pledge: pledge, campaign: updated, team: team, replayed: false)
    }

    /// The answer to a retry: the pledge placed earlier under this key, or a conflict if that
    /// one was a different request; nil if the key is new.
    private func replay(_ request: PledgeRequest, scope: String, fingerprint: String) throws -> PledgeOutcome? {
        guard let existing = try connection.queryOne(Self.pledgeByIdempotencyKey, [.text(scope), .text(request.idempotencyKey)], PledgeRow.init) else { return nil }
        guard existing.fingerprint == fingerprint else {
            throw DomainError(.idempotencyConflict, field: "Idempotency-Key",
                              "this Idempotency-Key was already used with a different request")
        }
        let pledge = try existing.pledge()
        return PledgeOutcome(pledge: pledge, campaign: try requireCampaign(id: existing.campaignID),
                             team: try pledge.teamID.flatMap { try self.team(id: $0) }, replayed: true)
    }

    /// The consumer withdraws before the cancellation deadline; the deposit is refunded.
    public func cancelPledge(id: Int64, at now: Timestamp) throws -> (Pledge, Campaign) {
        let pledge = try requirePledge(id: id)
        let original = try requireCampaign(id: pledge.campaignID)
        let campaign = try original.withdrawing(pledge, at: now)
        let cancelled = try pledge.transitioned(to: .cancelled, at: now)
        if let teamID = pledge.teamID, let team = try team(id: teamID) {
            try saveTeam(try team.leaving())
        }
        try savePledgeStatus(cancelled)
        try saveCampaignState(campaign, from: original)
        if !pledge.deposit.isZero { try post(.depositRefunded(pledge), at: now) }
        return (cancelled, campaign)
    }

    public func payBalance(pledgeID: Int64, at now: Timestamp) throws -> Pledge {
        let pledge = try requirePledge(id: pledgeID)
        let (paid, entry) = try requireCampaign(id: pledge.campaignID).payingBalance(of: pledge, at: now)
        try savePledgeStatus(paid)
        try post(entry, at: now)
        return paid
    }

    public func defaultPledge(id: Int64, at now: Timestamp) throws -> Pledge {
        let pledge = try requirePledge(id: id)
        let (defaulted, journal) = try requireCampaign(id: pledge.campaignID).defaulting(pledge, at: now)
        try savePledgeStatus(defaulted)
        for entry in journal { try post(entry, at: now) }
        return defaulted
    }

    public func pledge(id: Int64) throws -> Pledge? {
        try connection.queryOne(Self.pledgeColumns + " WHERE id = ?", [.integer(id)], PledgeRow.init)?.pledge()
    }

    public func requirePledge(id: Int64) throws -> Pledge {
        guard let pledge = try pledge(id: id) else {
            throw DomainError(.notFound, field: "pledge_id", "pledge \(id) does not exist")
        }
        return pledge
    }

    public func pledges(campaignID: Int64, status: PledgeStatus? = nil) throws -> [Pledge] {
        try connection.query(Self.pledgeColumns + " WHERE campaign_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY id",
                             [.integer(campaignID), SQLiteValue(status?.rawValue)], PledgeRow.init).map { try $0.pledge() }
    }

    /// Confirmed pledges past their balance deadline, for the default sweep.
    public func overduePledges(at now: Timestamp) throws -> [Int64] {
        try connection.query("""
            SELECT p.id FROM pledges p JOIN campaigns c ON c.id = p.campaign_id
            WHERE p.status = 'confirmed' AND c.status = 'succeeded' AND c.balance_due_at <= ? ORDER BY p.id
            """, [.integer(now.seconds)]) { $0.int(0) }
    }

    func savePledgeStatus(_ pledge: Pledge) throws {
        try connection.run("UPDATE pledges SET status = ?, updated_at = ?, commission_minor = ? WHERE id = ?",
                           [.text(pledge.status.rawValue), .integer(pledge.updatedAt.seconds), SQLiteValue(pledge.commission?.minor),
                            .integer(pledge.id)])
    }

    static let pledgeByIdempotencyKey = pledgeColumns + " WHERE idempotency_scope = ? AND idempotency_key = ?"

    static let pledgeColumns = """
        SELECT id, campaign_id, consumer_id, quantity, deposit_minor, currency, leader_code, pickup_point,
               deposit_payment_ref, idempotency_key, fingerprint, status, created_at, updated_at, team_id, commission_minor
        FROM pledges
        """
}

private struct PledgeRow {
    var id: Int64, campaignID: Int64, consumerID: String, quantity: Int64, depositMinor: Int64, currency: String
    var leaderCode: String?, pickupPoint: String?, depositPaymentRef: String?, idempotencyKey: String, fingerprint: String
    var status: String, createdAt: Int64, updatedAt: Int64, teamID: Int64?, commissionMinor: Int64?

    init(_ row: Row) {
        id = row.int(0); campaignID = row.int(1); consumerID = row.string(2); quantity = row.int(3)
        depositMinor = row.int(4); currency = row.string(5); leaderCode = row.optionalString(6)
        pickupPoint = row.optionalString(7); depositPaymentRef = row.optionalString(8); idempotencyKey = row.string(9)
        fingerprint = row.string(10); status = row.string(11); createdAt = row.int(12); updatedAt = row.int(13)
        teamID = row.optionalInt(14); commissionMinor = row.optionalInt(15)
    }

    func pledge() throws -> Pledge {
        guard let parsed = PledgeStatus(rawValue: status) else {
            throw StoreInvariantError("unknown pledge status \(status)")
        }
        let currency = Currency(restoring: currency)
        return Pledge(restoringID: id, campaignID: campaignID, consumerID: consumerID, quantity: quantity,
                      deposit: Money(minor: depositMinor, currency: currency), leaderCode: leaderCode, pickupPoint: pickupPoint,
                      depositPaymentRef: depositPaymentRef, idempotencyKey: idempotencyKey, teamID: teamID,
                      commission: commissionMinor.map { Money(minor: $0, currency: currency) }, status: parsed,
                      createdAt: Timestamp(seconds: createdAt), updatedAt: Timestamp(seconds: updatedAt))
    }
}

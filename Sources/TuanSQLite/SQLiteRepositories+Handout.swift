import TuanApp
import TuanDomain
import TuanStore

extension SQLiteRepositories {
    public func collectedAt(pledgeID: Int64) throws -> Timestamp? {
        try connection.scalarInt("SELECT collected_at FROM pickups WHERE pledge_id = ?", [.integer(pledgeID)]).map(Timestamp.init(seconds:))
    }

    public func savePickup(pledgeID: Int64, leaderID: Int64, at now: Timestamp) throws {
        do {
            try connection.run("INSERT INTO pickups(pledge_id, leader_id, collected_at) VALUES (?, ?, ?)",
                               [.integer(pledgeID), .integer(leaderID), .integer(now.seconds)])
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw RepositoryConflict.changedMeanwhile
        }
    }

    public func handoutEntries(leader: Leader, collected: Bool?, readyBefore: Timestamp?, limit: Int) throws -> [Handout.Entry] {
        // Each pledge's readiness and collection read once, then filtered and ordered by them.
        let rows = try connection.query("SELECT * FROM (" + Self.pledgeColumns.replacingOccurrences(of: "FROM pledges", with: """
            , (SELECT title FROM campaigns c WHERE c.id = pledges.campaign_id) AS campaign_title,
              COALESCE((SELECT received_at FROM purchase_orders o WHERE o.campaign_id = pledges.campaign_id),
                       (SELECT o.received_at FROM order_cycle_members m JOIN purchase_orders o ON o.id = m.purchase_order_id
                        WHERE m.campaign_id = pledges.campaign_id),
                       (SELECT r.received_at FROM point_receipts r WHERE r.leader_id = ?6 AND r.purchase_order_id IN
                            (SELECT id FROM purchase_orders WHERE campaign_id = pledges.campaign_id
                             UNION ALL SELECT purchase_order_id FROM order_cycle_members WHERE campaign_id = pledges.campaign_id))) AS ready_at,
              (SELECT collected_at FROM pickups k WHERE k.pledge_id = pledges.id) AS collected_at
            FROM pledges
            """) + """
             WHERE (leader_code = ?1 OR pickup_point = ?2) AND status IN ('confirmed', 'paid')
               AND campaign_id IN (SELECT id FROM campaigns WHERE status = 'succeeded'))
            WHERE (?3 IS NULL OR (?3 = 1) = (collected_at IS NOT NULL)) AND (?4 IS NULL OR ready_at < ?4)
            ORDER BY ready_at IS NULL, ready_at, id
            LIMIT ?5
            """, [.text(leader.code), .text(leader.pickupPoint), SQLiteValue(collected.map { $0 ? Int64(1) : 0 }),
                  SQLiteValue(readyBefore?.seconds), .integer(Int64(limit)), .integer(leader.id)]) { row in
            (try PledgeRow(row).pledge(), row.optionalString(17) ?? "", row.optionalInt(18), row.optionalInt(19))
        }
        let pledges = try withLines(rows.map(\.0))
        return zip(pledges, rows).map { pledge, row in
            Handout.Entry(pledge: pledge, campaignTitle: row.1, readySince: row.2.map(Timestamp.init(seconds:)),
                          collectedAt: row.3.map(Timestamp.init(seconds:)))
        }
    }
}

/// The team's public shape: the API's answer and the resource its events carry.
extension Team {
    /// Public: a share link shows it to anyone, so it names no consumer.
    public var json: JSONValue {
        [
            "code": .string(code), "campaign_id": .int(campaignID), "size": .int(size), "member_count": .int(memberCount),
            "spots_left": .int(spotsLeft), "status": .string(status.rawValue), "expires_at": JSONValue(expiresAt),
            "share_path": .string("/c/\(campaignID)?team=\(code)"),
        ]
    }
}


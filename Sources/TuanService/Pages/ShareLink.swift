/// A campaign's share link, carrying the team and the leader whose codes bring people in: the
/// campaign page and its poster share the same one.
struct ShareLink {
    var campaignID: Int64
    var teamCode: String?
    var leaderCode: String?
    /// `scheme://host` of the request.
    var origin: String

    /// `team=` and `leader=`, percent-encoded; empty when neither is set.
    var query: String {
        var parts: [String] = []
        if let teamCode { parts.append("team=" + HTML.queryValue(teamCode)) }
        if let leaderCode, !leaderCode.isEmpty { parts.append("leader=" + HTML.queryValue(leaderCode)) }
        return parts.joined(separator: "&")
    }

    private var suffix: String { query.isEmpty ? "" : "?" + query }

    var path: String { "/c/\(campaignID)" + suffix }
    var posterPath: String { "/c/\(campaignID)/poster" + suffix }
    var url: String { origin + path }
}

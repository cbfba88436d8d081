import TuanDomain

/// The consumer's page for one campaign: progress towards the threshold and cap, the price
/// tiers, the countdown, how many joined, how likely it is to tip, and a pledge form that
/// works without JavaScript (errors are shown next to their field).
struct CampaignPage {
    /// What the form holds: what was typed, and what was wrong with it.
    struct Form {
        var consumer = ""
        var quantity = "1"
        var leaderCode = ""
        var teamCode = ""
        var openTeam = false
        /// The idempotency key for this form: submitting twice records one pledge.
        var key = WebSessions.randomToken()
        var fieldErrors: [String: String] = [:]
        var error: String?
    }

    /// Shown after a successful pledge.
    struct Joined {
        var quantity: Int64
        var deposit: Money
        var team: Team?
    }

    var campaign: Campaign
    var productName: String
    var tipProbability: Double?
    /// The team named in the share link (`?team=`), if any.
    var team: Team?
    var form: Form
    var joined: Joined?
    /// `scheme://host` for share links.
    var origin: String
    var now: Timestamp

    func render() -> String {
        PageLayout.page(title: campaign.title, main: """
            <p class="legend">\(HTML.escape(productName)) · group buy #\(campaign.id) \(statusBadge)</p>
            <h1>\(HTML.escape(campaign.title))</h1>
            \(joinedNotice)
            <div class="grid">
            <section class="card" aria-labelledby="progress-h">
            <h2 id="progress-h">Progress</h2>
            \(progress)
            \(stats)
            <h2 id="tiers-h">Price tiers</h2>
            \(tiers)
            \(teamOffer)
            </section>
            <section class="card" aria-labelledby="pledge-h">
            <h2 id="pledge-h">Join this group buy</h2>
            \(pledgeForm)
            \(share)
            </section>
            </div>
            """)
    }

    private var statusBadge: String {
        let ok = campaign.status == .tipped || campaign.status == .succeeded
        return "<span class=\"badge \(ok ? "ok" : "")\">\(HTML.escape(campaign.status.rawValue))</span>"
    }

    private var joinedNotice: String {
        guard let joined else { return "" }
        var text = "<p class=\"notice\" role=\"status\" id=\"joined\">You are in: \(joined.quantity) unit(s) pledged"
        if !joined.deposit.isZero { text += ", deposit \(HTML.money(joined.deposit)) paid" }
        text += ". We will tell you when the group buy closes.</p>"
        if let team = joined.team {
            text += "<p class=\"notice\">Your team <strong>\(HTML.escape(team.code))</strong> has \(team.memberCount) of \(team.size); "
                + (team.status == .filled ? "it is full: you get the team price." : "share the link below before \(HTML.time(team.expiresAt)) to fill it.")
                + "</p>"
        }
        return text
    }

    private var scale: Int64 { max(campaign.cap ?? 0, Int64((Double(campaign.threshold) * 1.25).rounded(.up)), campaign.pledgedQuantity, 1) }

    private var progress: String {
        // An SVG bar rather than styled divs: the pages' policy allows no inline styles.
        let fill = min(100, Double(campaign.pledgedQuantity) * 100 / Double(scale))
        let mark = min(100, Double(campaign.threshold) * 100 / Double(scale))
        let capText = campaign.cap.map { ", cap \($0)" } ?? ""
        return """
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="bar" role="img" \
            aria-label="\(campaign.pledgedQuantity) of \(campaign.threshold) units pledged towards the threshold">\
            <rect x="0" y="0" width="100" height="6" fill="#edf2f7"/><rect x="0" y="0" width="\(HTML.number(fill, digits: 1))" height="6" fill="#9b1c1c"/>\
            <rect x="\(HTML.number(max(0, mark - 0.4), digits: 1))" y="0" width="0.8" height="6" fill="#1a202c"/></svg>
            <p><strong id="pledged-count">\(campaign.pledgedQuantity)</strong> of \(campaign.threshold) units needed to tip\(capText).</p>
            """
    }

    private var stats: String {
        let closing = campaign.status.acceptsPledges
            ? "<b id=\"countdown\">\(HTML.duration(from: now, to: campaign.closesAt))</b><span>left, closes \(HTML.time(campaign.closesAt))</span>"
            : "<b>closed</b><span>\(HTML.time(campaign.closedAt ?? campaign.closesAt))</span>"
        let chance: String
        if campaign.isTipped || campaign.status == .succeeded {
            chance = "<b>tipped</b><span>it is happening</span>"
        } else if let tipProbability, campaign.status.acceptsPledges {
            chance = "<b id=\"tip-probability\">\(HTML.percent(tipProbability))</b><span>likely to tip</span>"
        } else {
            chance = "<b>–</b><span>chance to tip</span>"
        }
        return """
            <div class="stat">
            <div><b id="joined-count">\(campaign.pledgeCount)</b><span>people joined</span></div>
            <div>\(closing)</div>
            <div>\(chance)</div>
            <div><b>\(HTML.money(campaign.currentUnitPrice))</b><span>price now</span></div>
            </div>
            """
    }

    private var tiers: String {
        let reached = campaign.schedule.tiers.lastIndex { $0.minQuantity <= campaign.pledgedQuantity } ?? 0
        var rows = ""
        for (index, tier) in campaign.schedule.tiers.enumerated() {
            let current = index == reached
            rows += "<tr\(current ? " class=\"current\" aria-current=\"true\"" : "")><td>\(tier.minQuantity)+ units</td>"
                + "<td class=\"num\">\(HTML.money(tier.unitPrice))</td><td>\(current ? "current price" : "")</td></tr>"
        }
        var text = "<table><caption class=\"legend\">Everyone pays the price of the tier reached at the close.</caption>"
            + "<thead><tr><th scope=\"col\">Tier</th><th scope=\"col\" class=\"num\">Unit price</th><th scope=\"col\"></th></tr></thead><tbody>\(rows)</tbody></table>"
        if campaign.finalUnitPrice == nil, let next = campaign.schedule.nextTier(after: campaign.pledgedQuantity) {
            text += "<p id=\"next-tier\"><strong>\(next.unitsNeeded) more</strong> to unlock \(HTML.money(next.tier.unitPrice)) for everyone.</p>"
        }
        if !campaign.depositPerUnit.isZero {
            text += "<p>Deposit (定金) \(HTML.money(campaign.depositPerUnit)) per unit now; refunded in full if the group buy does not tip. "
                + "Cancel until \(HTML.time(campaign.cancellationDeadline)).</p>"
        }
        return text
    }

    private var teamOffer: String {
        guard let rule = campaign.team else { return "" }
        let hours = rule.windowSeconds / 3_600
        var text = "<h2>Team buy (拼团)</h2><p>Form a team of \(rule.size): if it fills within "
            + (hours > 0 ? "\(hours) h" : "\(rule.windowSeconds / 60) min") + ", each member pays \(HTML.money(rule.unitPrice)).</p>"
        if let team {
            text += "<p id=\"team-status\">Team <strong>\(HTML.escape(team.code))</strong>: \(team.memberCount) of \(team.size), "
                + (team.status == .forming ? "\(team.spotsLeft) spot(s) left until \(HTML.time(team.expiresAt))." : "\(HTML.escape(team.status.rawValue)).")
                + "</p>"
        }
        return text
    }

    private func field(_ name: String, label: String, hint: String? = nil, input: String) -> String {
        let error = form.fieldErrors[name]
        var text = "<label for=\"\(name)\">\(label)\(hint.map { " <span class=\"hint\">\($0)</span>" } ?? "")</label>"
        text += input.replacingOccurrences(of: "<input ", with: "<input id=\"\(name)\" name=\"\(name)\" "
            + (error != nil ? "aria-invalid=\"true\" aria-describedby=\"\(name)-error\" " : ""))
        if let error { text += "<p class=\"field-error\" id=\"\(name)-error\">\(HTML.escape(error))</p>" }
        return text
    }

    private var pledgeForm: String {
        guard campaign.status.acceptsPledges, now < campaign.closesAt else {
            return "<p>This group buy is \(HTML.escape(campaign.status.rawValue)); pledges are closed.</p>"
        }
        var text = "<form method=\"post\" action=\"/c/\(campaign.id)\" class=\"stack\" novalidate>"
        if let error = form.error { text += "<p class=\"alert\" role=\"alert\" id=\"form-error\">\(HTML.escape(error))</p>" }
        text += "<input type=\"hidden\" name=\"form_key\" value=\"\(HTML.escape(form.key))\">"
        text += field("consumer", label: "Your name or phone", input: "<input type=\"text\" autocomplete=\"name\" maxlength=\"128\" required value=\"\(HTML.escape(form.consumer))\">")
        text += field("quantity", label: "Units", hint: "(up to \(campaign.maxPerPledge))",
                      input: "<input type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"\(campaign.maxPerPledge)\" required value=\"\(HTML.escape(form.quantity))\">")
        text += field("leader_code", label: "Group leader code", hint: "(optional)",
                      input: "<input type=\"text\" maxlength=\"64\" value=\"\(HTML.escape(form.leaderCode))\">")
        if campaign.team != nil {
            if let team, team.status == .forming {
                text += "<input type=\"hidden\" name=\"team_code\" value=\"\(HTML.escape(team.code))\">"
                text += "<p>You will join team <strong>\(HTML.escape(team.code))</strong>.</p>"
                if let error = form.fieldErrors["team_code"] { text += "<p class=\"field-error\" id=\"team_code-error\">\(HTML.escape(error))</p>" }
            } else {
                text += "<label><input type=\"checkbox\" name=\"open_team\" value=\"1\"\(form.openTeam ? " checked" : "")> Start a team and share it</label>"
                if let error = form.fieldErrors["team_code"] { text += "<p class=\"field-error\" id=\"team_code-error\">\(HTML.escape(error))</p>" }
            }
        }
        text += "<button type=\"submit\" id=\"pledge-button\">Pledge\(campaign.depositPerUnit.isZero ? "" : " and pay the deposit")</button></form>"
        return text
    }

    private var share: String {
        var link = "\(origin)/c/\(campaign.id)"
        var query: [String] = []
        if let code = joined?.team?.code ?? team?.code { query.append("team=" + HTML.queryValue(code)) }
        if !form.leaderCode.isEmpty { query.append("leader=" + HTML.queryValue(form.leaderCode)) }
        if !query.isEmpty { link += "?" + query.joined(separator: "&") }
        return "<h2>Share</h2><p class=\"share\"><a id=\"share-link\" href=\"\(HTML.escape(link))\">\(HTML.escape(link))</a></p>"
    }
}

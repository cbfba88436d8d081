import TuanDomain
import TuanQR

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
        /// The item chosen, in a campaign of items (size and colour).
        var sku = ""
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
        /// What of each item, in a campaign of items.
        var lines: [PledgeLine] = []
    }

    var campaign: Campaign
    var productName: String
    /// The product of each of `campaign.items`, in their order (their attributes label the choice).
    var itemProducts: [Product] = []
    var tipProbability: Double?
    /// The team named in the share link (`?team=`), if any.
    var team: Team?
    var form: Form
    var joined: Joined?
    /// `scheme://host` for share links.
    var origin: String
    var now: Timestamp
    var l: Localizer

    func render() -> String {
        PageLayout.page(title: campaign.title, l, path: shareLink.path,
                        preview: preview, main: """
            <p class="legend">\(HTML.data(productName)) · \(l.t("campaign.number", ["id": String(campaign.id)])) \(statusBadge)</p>
            <h1>\(HTML.data(campaign.title))</h1>
            \(campaign.description.map { "<p class=\"lead\" id=\"description\">" + HTML.data($0) + "</p>" } ?? "")
            \(joinedNotice)
            <div class="grid">
            <section class="card" aria-labelledby="progress-h">
            <h2 id="progress-h">\(l.t("campaign.progress"))</h2>
            \(progress)
            \(stats)
            <h2 id="tiers-h">\(l.t("campaign.tiers"))</h2>
            \(tiers)
            \(teamOffer)
            </section>
            <section class="card" aria-labelledby="pledge-h">
            <h2 id="pledge-h">\(l.t("campaign.join"))</h2>
            \(pledgeForm)
            \(share)
            </section>
            </div>
            """)
    }

    /// The link preview a chat app shows for a shared campaign.
    private var preview: PageLayout.Preview {
        var description = l.t("campaign.preview", ["price": l.money(campaign.currentUnitPrice),
                                                   "pledged": l.number(campaign.pledgedQuantity), "threshold": l.number(campaign.threshold)])
        if campaign.status.acceptsPledges { description += " " + l.t("campaign.preview_closes", ["left": l.duration(from: now, to: campaign.closesAt)]) }
        return PageLayout.Preview(title: campaign.title, description: description, url: shareLink.url)
    }

    private var statusBadge: String {
        let ok = campaign.status == .tipped || campaign.status == .succeeded
        return "<span class=\"badge \(ok ? "ok" : "")\">\(l.t("status." + campaign.status.rawValue))</span>"
    }

    private var joinedNotice: String {
        guard let joined else { return "" }
        var text = "<p class=\"notice\" role=\"status\" id=\"joined\">" + l.plural("campaign.joined", joined.quantity)
        if !joined.deposit.isZero { text += l.t("campaign.joined_deposit", ["deposit": l.money(joined.deposit)]) }
        text += l.t("campaign.joined_end") + "</p>"
        if !joined.lines.isEmpty {
            text += "<ul id=\"joined-lines\">" + joined.lines.map { line in
                let product = itemProducts.first { $0.sku == line.sku }
                return "<li><span translate=\"no\">\(HTML.data(product.map(Self.itemLabel) ?? line.sku))</span> × \(l.number(line.quantity))</li>"
            }.joined() + "</ul>"
        }
        if let team = joined.team {
            let values = ["code": "<strong>" + HTML.data(team.code) + "</strong>", "members": String(team.memberCount), "size": String(team.size),
                          "until": l.time(team.expiresAt)]
            text += "<p class=\"notice\">" + l.t(team.status == .filled ? "campaign.team_full" : "campaign.team_forming", values) + "</p>"
        }
        return text
    }

    private var scale: Int64 { max(campaign.cap ?? 0, Int64((Double(campaign.threshold) * 1.25).rounded(.up)), campaign.pledgedQuantity, 1) }

    private var progress: String {
        // An SVG bar rather than styled divs: the pages' policy allows no inline styles.
        let fill = min(100, Double(campaign.pledgedQuantity) * 100 / Double(scale))
        let mark = min(100, Double(campaign.threshold) * 100 / Double(scale))
        let capText = campaign.cap.map { l.t("campaign.cap", ["cap": l.number($0)]) } ?? ""
        let values = ["pledged": l.number(campaign.pledgedQuantity), "threshold": l.number(campaign.threshold)]
        return """
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="bar" role="img" \
            aria-label="\(l.t("campaign.bar_label", values))">\
            <rect x="0" y="0" width="100" height="6" fill="#edf2f7"/><rect x="0" y="0" width="\(HTML.number(fill, digits: 1))" height="6" fill="#9b1c1c"/>\
            <rect x="\(HTML.number(max(0, mark - 0.4), digits: 1))" y="0" width="0.8" height="6" fill="#1a202c"/></svg>
            <p>\(l.t("campaign.needed", ["pledged": "<strong id=\"pledged-count\">\(campaign.pledgedQuantity)</strong>",
                                          "threshold": l.number(campaign.threshold)]))\(capText)</p>
            \(styleProgress)
            """
    }

    /// With a style minimum: each style's units against the factory's run.
    private var styleProgress: String {
        guard let minimum = campaign.styleMinimum else { return "" }
        return campaign.styles.map { style in
            "<p class=\"style-progress\">" + l.t("campaign.style_minimum", ["style": "<span translate=\"no\">\(HTML.data(style))</span>",
                                                                        "pledged": l.number(campaign.pledgedQuantity(style: style)),
                                                                        "minimum": l.number(minimum)]) + "</p>"
        }.joined()
    }

    private var stats: String {
        let closing = campaign.status.acceptsPledges
            ? "<b id=\"countdown\">\(l.duration(from: now, to: campaign.closesAt))</b><span>\(l.t("campaign.left_closes", ["at": l.time(campaign.closesAt)]))</span>"
            : "<b>\(l.t("campaign.closed"))</b><span>\(l.time(campaign.closedAt ?? campaign.closesAt))</span>"
        let chance: String
        if campaign.isTipped || campaign.status == .succeeded {
            chance = "<b>\(l.t("campaign.tipped"))</b><span>\(l.t("campaign.happening"))</span>"
        } else if let tipProbability, campaign.status.acceptsPledges {
            chance = "<b id=\"tip-probability\">\(l.percent(tipProbability))</b><span>\(l.t("campaign.likely"))</span>"
        } else {
            chance = "<b>–</b><span>\(l.t("campaign.chance"))</span>"
        }
        return """
            <div class="stat">
            <div><b id="joined-count">\(campaign.pledgeCount)</b><span>\(l.t("campaign.people_joined"))</span></div>
            <div>\(closing)</div>
            <div>\(chance)</div>
            <div><b>\(l.money(campaign.currentUnitPrice))</b><span>\(l.t("campaign.price_now"))</span></div>
            </div>
            """
    }

    private var tiers: String {
        let reached = campaign.schedule.tiers.lastIndex { $0.minQuantity <= campaign.pledgedQuantity } ?? 0
        var rows = ""
        for (index, tier) in campaign.schedule.tiers.enumerated() {
            let current = index == reached
            rows += "<tr\(current ? " class=\"current\" aria-current=\"true\"" : "")><td>\(l.t("campaign.tier_from", ["n": l.number(tier.minQuantity)]))</td>"
                + "<td class=\"num\">\(l.money(tier.unitPrice))</td><td>\(current ? l.t("campaign.tier_current") : "")</td></tr>"
        }
        var text = "<table><caption class=\"legend\">\(l.t("campaign.tiers_caption"))</caption>"
            + "<thead><tr><th scope=\"col\">\(l.t("campaign.tier"))</th><th scope=\"col\" class=\"num\">\(l.t("campaign.unit_price"))</th><th scope=\"col\"></th></tr></thead><tbody>\(rows)</tbody></table>"
        if let next = l.nextTier(of: campaign) { text += "<p id=\"next-tier\">\(next)</p>" }
        if !campaign.depositPerUnit.isZero {
            text += "<p>\(l.t("campaign.deposit", ["deposit": l.money(campaign.depositPerUnit), "until": l.time(campaign.cancellationDeadline)]))</p>"
            if campaign.depositCreditPerUnit.minor > campaign.depositPerUnit.minor {
                text += "<p id=\"deposit-credit\"><strong>\(l.t("campaign.deposit_credit", ["deposit": l.money(campaign.depositPerUnit), "credit": l.money(campaign.depositCreditPerUnit)]))</strong></p>"
            }
        }
        return text
    }

    private var teamOffer: String {
        guard let rule = campaign.team else { return "" }
        let hours = rule.windowSeconds / 3_600
        let window = hours > 0 ? l.t("time.hours", ["h": String(hours)]) : l.t("time.minutes", ["m": String(rule.windowSeconds / 60)])
        var text = "<h2>\(l.t("campaign.team_heading"))</h2><p>\(l.t("campaign.team_offer", ["size": String(rule.size), "window": window, "price": l.money(rule.unitPrice)]))</p>"
        if let team {
            let values = ["code": "<strong>" + HTML.data(team.code) + "</strong>", "members": String(team.memberCount), "size": String(team.size),
                          "left": l.plural("team.spots", Int64(team.spotsLeft)), "until": l.time(team.expiresAt), "status": l.t("team_status." + team.status.rawValue)]
            text += "<p id=\"team-status\">" + l.t(team.status == .forming ? "campaign.team_status_forming" : "campaign.team_status_done", values) + "</p>"
        }
        return text
    }

    private func field(_ name: String, label: String, hint: String? = nil, input: String) -> String {
        // Field errors arrive localised (`PageErrors`).
        let error = form.fieldErrors[name]
        var text = "<label for=\"\(name)\">\(label)\(hint.map { " <span class=\"hint\">\($0)</span>" } ?? "")</label>"
        text += input.replacingOccurrences(of: "<input ", with: "<input id=\"\(name)\" name=\"\(name)\" "
            + (error != nil ? "aria-invalid=\"true\" aria-describedby=\"\(name)-error\" " : ""))
        if let error { text += "<p class=\"field-error\" id=\"\(name)-error\">\(HTML.escape(error))</p>" }
        return text
    }

    private var pledgeForm: String {
        guard campaign.status.acceptsPledges, now < campaign.closesAt else {
            return "<p>\(l.t("campaign.pledges_closed", ["status": l.t("status." + campaign.status.rawValue)]))</p>"
        }
        var text = "<form method=\"post\" action=\"/c/\(campaign.id)\" class=\"stack\" novalidate>"
        if let error = form.error { text += "<p class=\"alert\" role=\"alert\" id=\"form-error\">\(HTML.escape(error))</p>" }
        text += "<input type=\"hidden\" name=\"form_key\" value=\"\(HTML.escape(form.key))\">"
        text += field("consumer", label: l.t("form.consumer"), input: "<input type=\"text\" autocomplete=\"name\" maxlength=\"128\" required value=\"\(HTML.escape(form.consumer))\">")
        text += itemChoice
        text += field("quantity", label: l.t("form.quantity"), hint: l.t("form.quantity_hint", ["max": l.number(campaign.maxPerPledge)]),
                      input: "<input type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"\(campaign.maxPerPledge)\" required value=\"\(HTML.escape(form.quantity))\">")
        text += field("leader_code", label: l.t("form.leader"), hint: l.t("form.optional"),
                      input: "<input type=\"text\" maxlength=\"64\" value=\"\(HTML.escape(form.leaderCode))\">")
        if campaign.team != nil {
            if let team, team.status == .forming {
                text += "<input type=\"hidden\" name=\"team_code\" value=\"\(HTML.escape(team.code))\">"
                text += "<p>\(l.t("form.joining_team", ["code": "<strong>" + HTML.data(team.code) + "</strong>"]))</p>"
                if let error = form.fieldErrors["team_code"] { text += "<p class=\"field-error\" id=\"team_code-error\">\(HTML.escape(error))</p>" }
            } else {
                text += "<label><input type=\"checkbox\" name=\"open_team\" value=\"1\"\(form.openTeam ? " checked" : "")> \(l.t("form.open_team"))</label>"
                if let error = form.fieldErrors["team_code"] { text += "<p class=\"field-error\" id=\"team_code-error\">\(HTML.escape(error))</p>" }
            }
        }
        text += "<button type=\"submit\" id=\"pledge-button\">\(l.t(campaign.depositPerUnit.isZero ? "form.pledge" : "form.pledge_deposit"))</button></form>"
        return text
    }

    /// The link this page shares: with the team joined or shown, and the leader who brought the visitor.
    var shareLink: ShareLink {
        ShareLink(campaignID: campaign.id, teamCode: joined?.team?.code ?? team?.code, leaderCode: form.leaderCode, origin: origin)
    }

    private var share: String {
        let link = shareLink.url, poster = shareLink.posterPath
        let qr = (try? QRCode.encode(link, correction: .medium))?.svg(label: l.t("share.qr_label")) ?? ""
        return "<h2>\(l.t("share.heading"))</h2><p class=\"legend\">\(l.t("share.hint"))</p>"
            + "<div class=\"share-qr\" id=\"share-qr\">\(qr)</div>"
            + "<p class=\"share\"><a id=\"share-link\" href=\"\(HTML.escape(link))\" translate=\"no\">\(HTML.escape(link))</a></p>"
            + "<p><a id=\"poster-link\" href=\"\(HTML.escape(poster))\">\(l.t("share.poster"))</a></p>"
    }
}

extension CampaignPage {
    /// A campaign of items: one radio button per item (colour · size), with its price when it
    /// differs and the units left when it is capped; sold-out items cannot be chosen. Works
    /// without JavaScript, like the rest of the form.
    var itemChoice: String {
        guard campaign.sellsItems else { return "" }
        let error = form.fieldErrors["sku"]
        var text = "<fieldset id=\"item-choice\" class=\"choices\"" + (error != nil ? " aria-invalid=\"true\" aria-describedby=\"sku-error\"" : "") + ">"
        text += "<legend>\(l.t("form.item"))</legend>"
        let chosen = form.sku.isEmpty ? campaign.items.first { $0.remainingCapacity != 0 }?.sku ?? "" : form.sku
        for (index, item) in campaign.items.enumerated() {
            let product = index < itemProducts.count ? itemProducts[index] : nil
            let label = product.map(Self.itemLabel) ?? item.sku
            let soldOut = item.remainingCapacity == 0
            var notes: [String] = []
            if !item.priceDelta.isZero { notes.append(l.money(campaign.unitPrice(of: item.sku, at: campaign.currentUnitPrice))) }
            if let left = item.remainingCapacity { notes.append(soldOut ? l.t("form.item_sold_out") : l.t("form.item_left", ["n": l.number(left)])) }
            text += "<label class=\"choice\"><input type=\"radio\" name=\"sku\" value=\"\(HTML.escape(item.sku))\""
                + (item.sku == chosen && !soldOut ? " checked" : "") + (soldOut ? " disabled" : "") + "> "
                + "<span translate=\"no\">\(HTML.data(label))</span>"
                + (notes.isEmpty ? "" : " <span class=\"hint\">\(notes.joined(separator: " · "))</span>") + "</label>"
        }
        text += "</fieldset>"
        if let error { text += "<p class=\"field-error\" id=\"sku-error\">\(HTML.escape(error))</p>" }
        return text
    }

    /// A variant's attribute values (navy · M), or its name without any.
    static func itemLabel(_ product: Product) -> String {
        product.attributes.isEmpty ? product.name : product.attributes.map(\.value).joined(separator: " · ")
    }
}

import TuanDomain
import TuanQR

/// A phone-sized poster a group leader saves or screenshots and posts into a chat group: the
/// title, the price now and the next tier, the deadline in local time, progress, and a QR code
/// for the share link (with the leader's and team's codes). Printable on its own page.
struct PosterPage {
    var campaign: Campaign
    var productName: String
    var team: Team?
    var leaderCode: String?
    var origin: String
    var now: Timestamp
    var correction: QRCode.Correction
    var l: Localizer

    var shareLink: ShareLink { ShareLink(campaignID: campaign.id, teamCode: team?.code, leaderCode: leaderCode, origin: origin) }

    func render() throws -> String {
        let link = shareLink
        let code = try QRCode.encode(link.url, correction: correction)
        let pledged = l.number(campaign.pledgedQuantity), threshold = l.number(campaign.threshold)
        let fill = min(100, Double(campaign.pledgedQuantity) * 100 / Double(max(1, campaign.threshold)))
        var lines = "<p class=\"poster-price\"><span>\(l.t("poster.price_now"))</span> <strong id=\"poster-price\">\(l.money(campaign.currentUnitPrice))</strong></p>"
        if let next = l.nextTier(of: campaign) { lines += "<p id=\"poster-next\">\(next)</p>" }
        if let team {
            let values = ["code": "<strong>" + HTML.data(team.code) + "</strong>", "left": l.plural("team.spots", Int64(team.spotsLeft)),
                          "price": l.money(campaign.team?.unitPrice ?? campaign.currentUnitPrice), "members": String(team.memberCount),
                          "size": String(team.size), "status": l.t("team_status." + team.status.rawValue)]
            // A full or lapsed team is shown as such: the poster still leads to the campaign.
            lines += "<p id=\"poster-team\">" + l.t(team.status == .forming ? "poster.team" : "campaign.team_status_done", values) + "</p>"
        }
        let deadline = campaign.status.acceptsPledges
            ? l.t("poster.deadline", ["at": l.time(campaign.closesAt), "left": l.duration(from: now, to: campaign.closesAt)])
            : l.t("campaign.pledges_closed", ["status": l.t("status." + campaign.status.rawValue)])
        let main = """
            <article class="poster" id="poster" aria-labelledby="poster-title">
            <p class="poster-kicker">\(l.t("poster.kicker"))</p>
            <h1 id="poster-title">\(HTML.data(campaign.title))</h1>
            <p class="legend">\(HTML.data(productName))</p>
            \(lines)
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="bar" role="img" aria-label="\(l.t("campaign.bar_label", ["pledged": pledged, "threshold": threshold]))">\
            <rect x="0" y="0" width="100" height="6" fill="#edf2f7"/><rect x="0" y="0" width="\(HTML.number(fill, digits: 1))" height="6" fill="#9b1c1c"/></svg>
            <p id="poster-progress">\(l.t("poster.progress", ["pledged": pledged, "threshold": threshold, "people": l.number(campaign.pledgeCount)]))</p>
            <p id="poster-deadline">\(deadline)</p>
            <figure class="poster-qr" id="poster-qr">\(code.svg(label: l.t("share.qr_label")))<figcaption>\(l.t("poster.scan"))</figcaption></figure>
            <p class="poster-link" translate="no">\(HTML.escape(link.url))</p>
            </article>
            <p class="no-print"><a href="\(HTML.escape(link.path))">\(l.t("poster.back"))</a></p>
            """
        return PageLayout.page(title: l.t("poster.title", ["title": campaign.title]), l,
                               path: link.posterPath,
                               preview: PageLayout.Preview(title: campaign.title, description: l.t("campaign.preview", [
                                   "price": l.money(campaign.currentUnitPrice), "pledged": pledged, "threshold": threshold]), url: link.url),
                               bodyClass: "poster-page", main: main)
    }
}

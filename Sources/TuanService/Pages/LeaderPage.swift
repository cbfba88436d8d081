import TuanDomain

/// A group leader's hand-out screen (核销), made for a phone at the pickup point: a code field
/// that works without JavaScript, what was just handed out, the goods waiting to be collected
/// (the longest waiting marked), and what was collected today.
struct LeaderPage {
    var viewer: PageLayout.Viewer
    var leader: Leader
    var waiting: [Handout.Entry]
    var collected: [Handout.Entry]
    /// The pledge just handed out.
    var handedOut: Handout.Entry?
    var failure: String?
    var code = ""
    var now: Timestamp
    var l: Localizer
    /// Goods waiting longer than this many days are marked.
    static let lateDays: Int64 = 3

    func render() -> String {
        PageLayout.page(title: l.t("leader.title", ["name": leader.name]), l, path: "/leader", viewer: viewer, main: """
            <h1>\(l.t("leader.heading", ["name": HTML.data(leader.name), "point": HTML.data(leader.pickupPoint)]))</h1>
            \(handedOutNotice)
            <section class="card" aria-labelledby="collect-h">
            <h2 id="collect-h">\(l.t("leader.collect"))</h2>
            <form method="post" action="/leader/collect" class="stack" novalidate>
            <input type="hidden" name="csrf" value="\(HTML.escape(viewer.csrf))">
            <label for="code">\(l.t("leader.code")) <span class="hint">\(l.t("leader.code_hint", ["example": "<span translate=\"no\">18342-7KQ2MZ</span>"]))</span></label>
            <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" maxlength="40" required\
            \(failure != nil ? " aria-invalid=\"true\" aria-describedby=\"code-error\"" : "") value="\(HTML.escape(code))">
            \(failure.map { "<p class=\"field-error\" id=\"code-error\">\(HTML.escape($0))</p>" } ?? "")
            <button type="submit" id="collect-button">\(l.t("leader.collect_button"))</button>
            </form>
            </section>
            <section aria-labelledby="waiting-h">
            <h2 id="waiting-h">\(l.t("leader.waiting", ["n": l.number(Int64(waiting.count))]))</h2>
            \(table(waiting, id: "waiting", late: true))
            </section>
            <section aria-labelledby="collected-h">
            <h2 id="collected-h">\(l.t("leader.collected"))</h2>
            \(table(collected, id: "collected", late: false))
            </section>
            """)
    }

    private var handedOutNotice: String {
        guard let entry = handedOut else { return "" }
        return "<p class=\"notice\" role=\"status\" id=\"notice\">" + l.t("leader.handed_out", [
            "consumer": "<span translate=\"no\">\(HTML.data(entry.pledge.consumerID))</span>", "what": what(entry)]) + "</p>"
    }

    /// Units, or each item's units in a campaign of items.
    private func what(_ entry: Handout.Entry) -> String {
        let lines = entry.pledge.lines.filter { $0.status == .active }
        guard !lines.isEmpty else { return l.number(entry.pledge.liveQuantity) + " × " + HTML.data(entry.campaignTitle) }
        return HTML.data(entry.campaignTitle) + ": " + lines.map { "<span translate=\"no\">\(HTML.data($0.sku))</span> × \(l.number($0.quantity))" }
            .joined(separator: ", ")
    }

    private func table(_ entries: [Handout.Entry], id: String, late: Bool) -> String {
        guard !entries.isEmpty else { return "<p id=\"\(id)\">\(l.t("leader.none"))</p>" }
        let rows = entries.map { entry in
            let waitingLong = late && entry.readySince.map { now.seconds - $0.seconds > Self.lateDays * 86_400 } ?? false
            let ready = entry.readySince.map { l.time($0) } ?? l.t("leader.not_arrived")
            return "<tr\(waitingLong ? " class=\"current\"" : "")><td translate=\"no\">\(HTML.data(entry.pledge.consumerID))</td><td>\(what(entry))</td>"
                + "<td>\(late ? ready + (waitingLong ? " · " + l.t("leader.late") : "") : entry.collectedAt.map { l.time($0) } ?? "")</td></tr>"
        }.joined()
        return "<table id=\"\(id)\"><thead><tr><th scope=\"col\">\(l.t("leader.col_consumer"))</th><th scope=\"col\">\(l.t("leader.col_what"))</th>"
            + "<th scope=\"col\">\(l.t(late ? "leader.col_ready" : "leader.col_collected"))</th></tr></thead><tbody>\(rows)</tbody></table>"
    }
}

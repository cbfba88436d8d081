import TuanDomain

/// The front page: the group buys open now, and the way in for planners and suppliers.
enum HomePage {
    static func render(campaigns: [Campaign], now: Timestamp, _ l: Localizer) -> String {
        let items = campaigns.map { c in
            "<li><a href=\"/c/\(c.id)\">\(HTML.data(c.title))</a> · "
                + l.t("home.item", ["pledged": l.number(c.pledgedQuantity), "threshold": l.number(c.threshold),
                                   "price": l.money(c.currentUnitPrice), "left": l.duration(from: now, to: c.closesAt)])
                + "</li>"
        }.joined()
        return PageLayout.page(title: l.t("home.title"), l, main: """
            <h1>\(l.t("home.heading"))</h1>
            \(campaigns.isEmpty ? "<p>\(l.t("home.none"))</p>" : "<ul id=\"campaigns\">\(items)</ul>")
            <h2>\(l.t("home.staff"))</h2>
            <p><a href="/planner">\(l.t("home.planner"))</a> · <a href="/supplier">\(l.t("home.supplier"))</a></p>
            """)
    }
}

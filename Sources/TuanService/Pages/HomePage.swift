import TuanDomain

/// The front page: the group buys open now, and the way in for planners and suppliers.
enum HomePage {
    static func render(campaigns: [Campaign], now: Timestamp) -> String {
        let items = campaigns.map { c in
            "<li><a href=\"/c/\(c.id)\">\(HTML.escape(c.title))</a> · \(c.pledgedQuantity)/\(c.threshold) units · "
                + "\(HTML.money(c.currentUnitPrice)) · closes in \(HTML.duration(from: now, to: c.closesAt))</li>"
        }.joined()
        return PageLayout.page(title: "Group buys", main: """
            <h1>Group buys open now</h1>
            \(campaigns.isEmpty ? "<p>None right now.</p>" : "<ul id=\"campaigns\">\(items)</ul>")
            <h2>Staff</h2>
            <p><a href="/planner">Planner dashboard</a> · <a href="/supplier">Supplier orders</a></p>
            """)
    }
}

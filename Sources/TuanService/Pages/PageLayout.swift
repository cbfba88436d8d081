import TuanDomain

/// The frame every page shares: language, viewport for phones, the one stylesheet, a skip
/// link, and a header that says who is signed in.
enum PageLayout {
    struct Viewer {
        var role: String
        var csrf: String
    }

    static func page(title: String, viewer: Viewer? = nil, main: String) -> String {
        var nav = "<a href=\"/\" class=\"brand\">团 Tuan</a>"
        if let viewer {
            nav += """
                <span class="who">signed in as \(HTML.escape(viewer.role))</span>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\(HTML.escape(viewer.csrf))">\
                <button type="submit" class="link">Sign out</button></form>
                """
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · Tuan</title>
            <link rel="stylesheet" href="/assets/tuan.css">
            <link rel="icon" href="data:,">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top"><nav aria-label="Site">\(nav)</nav></header>
            <main id="main">
            \(main)
            </main>
            <footer class="foot">Tuan · group pre-orders, made to order</footer>
            </body>
            </html>
            """
    }

    static func errorPage(status: Int, message: String) -> String {
        page(title: "Error \(status)", main: """
            <h1>Something is not right (\(status))</h1>
            <p class="error" role="alert">\(HTML.escape(message))</p>
            <p><a href="/">Back to the campaigns</a></p>
            """)
    }
}

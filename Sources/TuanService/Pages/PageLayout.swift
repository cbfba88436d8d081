import TuanDomain

/// The frame every page shares: language, viewport for phones, the one stylesheet, a skip
/// link, a header that says who is signed in, and the language switch.
enum PageLayout {
    struct Viewer {
        var role: String
        var csrf: String
    }

    /// What a link preview shows (Open Graph): the campaign pages fill it in.
    struct Preview {
        var title: String
        var description: String
        var url: String
    }

    /// `path` is the page's own path and query without `lang`, for the language switch.
    static func page(title: String, _ l: Localizer, path: String = "/", viewer: Viewer? = nil, preview: Preview? = nil,
                     bodyClass: String? = nil, main: String) -> String {
        var nav = "<a href=\"/\" class=\"brand\">团 <span translate=\"no\">Tuan</span></a>"
        if let viewer {
            nav += """
                <span class="who">\(l.t("layout.signed_in_as", ["role": l.t("role." + viewer.role)]))</span>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\(HTML.escape(viewer.csrf))">\
                <button type="submit" class="link">\(l.t("layout.sign_out"))</button></form>
                """
        }
        let separator = path.contains("?") ? "&" : "?"
        let switcher = Language.allCases.map { language in
            let name = language == .chinese ? "中文" : "English"
            return language == l.language
                ? "<strong lang=\"\(language.tag)\" translate=\"no\">\(name)</strong>"
                : "<a href=\"\(HTML.escape(path + separator + "lang=" + language.tag))\" lang=\"\(language.tag)\" hreflang=\"\(language.tag)\" translate=\"no\">\(name)</a>"
        }.joined(separator: " · ")
        var head = ""
        if let preview {
            head = """
                <meta name="description" content="\(HTML.escape(preview.description))">
                <meta property="og:type" content="website">
                <meta property="og:title" content="\(HTML.escape(preview.title))">
                <meta property="og:description" content="\(HTML.escape(preview.description))">
                <meta property="og:url" content="\(HTML.escape(preview.url))">
                <meta property="og:locale" content="\(l.language == .chinese ? "zh_CN" : "en_US")">

                """
        }
        return """
            <!doctype html>
            <html lang="\(l.language.tag)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · 团 Tuan</title>
            \(head)<link rel="stylesheet" href="/assets/tuan.css">
            <link rel="icon" href="data:,">
            </head>
            <body\(bodyClass.map { " class=\"\($0)\"" } ?? "")>
            <a class="skip" href="#main">\(l.t("layout.skip"))</a>
            <header class="top"><nav aria-label="\(l.t("layout.site"))">\(nav)</nav></header>
            <main id="main">
            \(main)
            </main>
            <footer class="foot">\(l.t("layout.footer")) <span class="languages">\(switcher)</span></footer>
            </body>
            </html>
            """
    }

    static func errorPage(status: Int, message: String, _ l: Localizer) -> String {
        page(title: l.t("error.title", ["status": String(status)]), l, main: """
            <h1>\(l.t("error.heading", ["status": String(status)]))</h1>
            <p class="error" role="alert">\(HTML.escape(message))</p>
            <p><a href="/">\(l.t("error.back"))</a></p>
            """)
    }
}

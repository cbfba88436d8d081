/// Sign-in for planners and suppliers: paste the API token once; the browser then holds only a
/// session cookie.
enum LoginPage {
    static func render(next: String, error: String? = nil, _ l: Localizer) -> String {
        let invalid = error != nil ? " aria-invalid=\"true\" aria-describedby=\"token-error\"" : ""
        return PageLayout.page(title: l.t("login.title"), l, path: "/login?next=" + HTML.queryValue(next), main: """
            <h1>\(l.t("login.heading"))</h1>
            <p>\(l.t("login.intro", ["command": "<code translate=\"no\">tuan token create</code>"]))</p>
            <form method="post" action="/login" class="stack card">
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <label for="token">\(l.t("login.token"))</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required\(invalid)>
            \(error.map { "<p class=\"field-error\" id=\"token-error\">\(HTML.escape($0))</p>" } ?? "")
            <button type="submit" id="sign-in">\(l.t("login.submit"))</button>
            </form>
            """)
    }
}

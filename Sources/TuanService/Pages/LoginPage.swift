/// Sign-in for planners and suppliers: paste the API token once; the browser then holds only a
/// session cookie.
enum LoginPage {
    static func render(next: String, error: String? = nil) -> String {
        let invalid = error != nil ? " aria-invalid=\"true\" aria-describedby=\"token-error\"" : ""
        return PageLayout.page(title: "Sign in", main: """
            <h1>Sign in</h1>
            <p>Planners and suppliers sign in with the API token they were given (<code>tuan token create</code>).</p>
            <form method="post" action="/login" class="stack card">
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <label for="token">API token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required\(invalid)>
            \(error.map { "<p class=\"field-error\" id=\"token-error\">\(HTML.escape($0))</p>" } ?? "")
            <button type="submit" id="sign-in">Sign in</button>
            </form>
            """)
    }
}

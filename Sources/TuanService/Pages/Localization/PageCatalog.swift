/// One catalogue per language: every string a page shows, by key. Both catalogues hold the
/// same keys (a test checks); a key missing at run time shows as ⟦key⟧.
enum PageCatalog {
    static func entries(for language: Language) -> [String: String] {
        switch language {
        case .chinese: chinese
        case .english: english
        }
    }
}

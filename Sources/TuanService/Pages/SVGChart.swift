import TuanDomain

/// Inline SVG charts: drawn on the server, so they need no script and no external asset.
/// Each has a `<title>` and a text alternative for screen readers.
enum SVGChart {
    struct BandPoint {
        var x: Double
        var p10: Double, p50: Double, p90: Double
    }

    /// A campaign's committed units so far (solid), its P10–P90 projection band and P50 line to
    /// the close, the threshold (dashed) and the cap. `x` runs from 0 (open) to 1 (close).
    static func projection(actual: [(x: Double, units: Double)], band: [BandPoint], threshold: Double, cap: Double?,
                           id: String, label: String, _ l: Localizer) -> String {
        let width = 320.0, height = 160.0, left = 36.0, bottom = 18.0, top = 8.0
        let highest = max(threshold * 1.15, cap ?? 0, band.map(\.p90).max() ?? 0, actual.map(\.units).max() ?? 0, 1)
        func px(_ x: Double) -> Double { left + x * (width - left - 6) }
        func py(_ y: Double) -> Double { top + (1 - y / highest) * (height - top - bottom) }
        func point(_ x: Double, _ y: Double) -> String { "\(HTML.number(px(x), digits: 1)),\(HTML.number(py(y), digits: 1))" }

        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)\">"
        svg += "<title id=\"\(id)\">\(HTML.escape(label))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(py(0))\" x2=\"\(width - 6)\" y2=\"\(py(0))\" stroke=\"#718096\"/>"
        svg += "<text x=\"2\" y=\"\(HTML.number(py(highest) + 10, digits: 1))\">\(HTML.number(highest))</text><text x=\"2\" y=\"\(py(0))\">0</text>"
        if band.count > 1 {
            let upper = band.map { point($0.x, $0.p90) }, lower = band.reversed().map { point($0.x, $0.p10) }
            svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#bee3f8\" stroke=\"none\"/>"
            svg += "<polyline points=\"\(band.map { point($0.x, $0.p50) }.joined(separator: " "))\" fill=\"none\" stroke=\"#2c5282\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
        }
        if actual.count > 1 {
            svg += "<polyline points=\"\(actual.map { point($0.x, $0.units) }.joined(separator: " "))\" fill=\"none\" stroke=\"#9b1c1c\" stroke-width=\"2.5\"/>"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(py(threshold))\" x2=\"\(width - 6)\" y2=\"\(py(threshold))\" stroke=\"#1a202c\" stroke-dasharray=\"6 4\"/>"
        svg += "<text x=\"\(left + 4)\" y=\"\(HTML.number(py(threshold) - 3, digits: 1))\">\(l.t("chart.threshold", ["n": l.number(threshold)]))</text>"
        if let cap {
            svg += "<line x1=\"\(left)\" y1=\"\(py(cap))\" x2=\"\(width - 6)\" y2=\"\(py(cap))\" stroke=\"#4a5568\"/>"
            svg += "<text x=\"\(width - 60)\" y=\"\(HTML.number(py(cap) - 3, digits: 1))\">\(l.t("chart.cap", ["n": l.number(cap)]))</text>"
        }
        return svg + "</svg>"
    }

    struct WeekBar {
        var label: String
        var firm: Double
        var projected: Double
        var order: Double
    }

    /// Stacked weekly bars, firm (dark) under projected (light), with the recommended order as a
    /// tick over each week.
    static func plan(_ weeks: [WeekBar], id: String, label: String) -> String {
        let width = 360.0, height = 170.0, left = 34.0, bottom = 22.0, top = 8.0
        let highest = max(weeks.map { max($0.firm + $0.projected, $0.order) }.max() ?? 0, 1)
        let slot = (width - left - 4) / Double(max(weeks.count, 1))
        func py(_ y: Double) -> Double { top + (1 - y / highest) * (height - top - bottom) }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)\">"
        svg += "<title id=\"\(id)\">\(HTML.escape(label))</title>"
        svg += "<text x=\"2\" y=\"\(HTML.number(py(highest) + 10, digits: 1))\">\(HTML.number(highest))</text><text x=\"2\" y=\"\(py(0))\">0</text>"
        for (index, week) in weeks.enumerated() {
            let x = left + Double(index) * slot + slot * 0.15, w = slot * 0.7
            let firmTop = py(week.firm), projectedTop = py(week.firm + week.projected)
            svg += "<rect x=\"\(HTML.number(x, digits: 1))\" y=\"\(HTML.number(firmTop, digits: 1))\" width=\"\(HTML.number(w, digits: 1))\" height=\"\(HTML.number(py(0) - firmTop, digits: 1))\" fill=\"#2c5282\"/>"
            svg += "<rect x=\"\(HTML.number(x, digits: 1))\" y=\"\(HTML.number(projectedTop, digits: 1))\" width=\"\(HTML.number(w, digits: 1))\" height=\"\(HTML.number(firmTop - projectedTop, digits: 1))\" fill=\"#90cdf4\"/>"
            svg += "<line x1=\"\(HTML.number(x - 2, digits: 1))\" x2=\"\(HTML.number(x + w + 2, digits: 1))\" y1=\"\(HTML.number(py(week.order), digits: 1))\" y2=\"\(HTML.number(py(week.order), digits: 1))\" stroke=\"#9b1c1c\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(HTML.number(x, digits: 1))\" y=\"\(Int(height) - 6)\">\(HTML.escape(week.label))</text>"
        }
        return svg + "</svg>"
    }
}

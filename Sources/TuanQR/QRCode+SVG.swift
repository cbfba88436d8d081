/// The symbol as inline SVG: one path of unit squares (runs merged per row) inside the
/// standard's quiet zone of four modules, scaled by the page.
extension QRCode {
    public func svg(label: String, quietZone: Int = 4) -> String {
        let extent = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        var escaped = ""
        for character in label {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(extent) \(extent)\" class=\"qr\" role=\"img\" "
            + "aria-label=\"\(escaped)\" shape-rendering=\"crispEdges\"><rect width=\"\(extent)\" height=\"\(extent)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// Portable graymap (P5), one pixel per module × `scale`: for decoders in tests.
    public func pgm(scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let extent = (size + 2 * quietZone) * scale
        var bytes = Array("P5\n\(extent) \(extent)\n255\n".utf8)
        for py in 0..<extent {
            for px in 0..<extent {
                let x = px / scale - quietZone, y = py / scale - quietZone
                let isDark = x >= 0 && y >= 0 && x < size && y < size && self.isDark(x: x, y: y)
                bytes.append(isDark ? 0 : 255)
            }
        }
        return bytes
    }
}

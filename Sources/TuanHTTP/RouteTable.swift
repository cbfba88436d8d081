/// Finds the route for a method and path. Kept apart from `Router` and free of its generic
/// `Context` so that matching, which runs on every request, compiles to concrete code in
/// this module instead of going through generic metadata at run time.
///
/// Patterns without parameters are found with one dictionary lookup; patterns with
/// parameters are tried only against paths with the same number of segments.
struct RouteTable: Sendable {
    enum Match {
        case found(index: Int, parameters: [String: String])
        /// The path exists, not for this method: the methods that would work (for `Allow`).
        case methodNotAllowed([String])
        case notFound
    }

    private enum Segment: Sendable {
        case literal(Substring)
        case parameter(String)
    }

    private struct Entry: Sendable {
        var method: String
        var segments: [Segment]
    }

    private var entries: [Entry] = []
    /// Canonical path ("/a/b", no empty segments) → indices of parameterless routes, in registration order.
    private var exact: [String: [Int]] = [:]
    /// Segment count → indices of routes with parameters, in registration order.
    private var parameterised: [Int: [Int]] = [:]

    /// Adds a route and returns its index.
    mutating func add(method: String, pattern: String) -> Int {
        let parts = pattern.split(separator: "/")
        let segments = parts.map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(part)
        }
        let index = entries.count
        entries.append(Entry(method: method, segments: segments))
        if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            exact[Self.canonical(parts), default: []].append(index)
        } else {
            parameterised[segments.count, default: []].append(index)
        }
        return index
    }

    /// The earliest registered route whose pattern matches `path` and whose method is `method`
    /// (HEAD is served by GET routes). Paths ignore empty segments: "/a//b/" is "/a/b".
    func match(method: String, path: String) -> Match {
        let method = method == "HEAD" ? "GET" : method
        var best: (index: Int, parameters: [String: String])?
        var allowed: [String] = []
        let key = Self.isCanonical(path) ? path : Self.canonical(path.split(separator: "/"))
        for index in exact[key] ?? [] {
            if entries[index].method == method { best = (index, [:]); break }
            allowed.append(entries[index].method)
        }
        for index in parameterised[Self.segmentCount(path)] ?? [] {
            if let best, best.index < index { break }
            guard let parameters = Self.bind(entries[index].segments, to: path) else { continue }
            if entries[index].method == method { best = (index, parameters); break }
            allowed.append(entries[index].method)
        }
        if let best { return .found(index: best.index, parameters: best.parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// Non-empty segments between slashes, counted without building them.
    private static func segmentCount(_ path: String) -> Int {
        var count = 0, inSegment = false
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") { inSegment = false } else if !inSegment { inSegment = true; count += 1 }
        }
        return count
    }

    /// Walks `path` segment by segment against the pattern (whose segment count already
    /// matches), slicing out only the parameters' values.
    private static func bind(_ segments: [Segment], to path: String) -> [String: String]? {
        var parameters: [String: String] = [:]
        let utf8 = path.utf8
        var position = utf8.startIndex
        for segment in segments {
            while position < utf8.endIndex, utf8[position] == UInt8(ascii: "/") { position = utf8.index(after: position) }
            var end = position
            while end < utf8.endIndex, utf8[end] != UInt8(ascii: "/") { end = utf8.index(after: end) }
            let part = path[position..<end]
            switch segment {
            case .literal(let literal): if literal != part { return nil }
            case .parameter(let name): parameters[name] = String(part)
            }
            position = end
        }
        return parameters
    }

    private static func canonical(_ parts: [Substring]) -> String {
        parts.isEmpty ? "/" : parts.reduce(into: "") { $0 += "/"; $0 += $1 }
    }

    /// True when `path` is already what `canonical` would make of it, so no new string is needed.
    private static func isCanonical(_ path: String) -> Bool {
        var previousWasSlash = false
        var first = true
        for byte in path.utf8 {
            if first { guard byte == UInt8(ascii: "/") else { return false }; first = false; previousWasSlash = true; continue }
            if byte == UInt8(ascii: "/") { if previousWasSlash { return false }; previousWasSlash = true } else { previousWasSlash = false }
        }
        return !first && (path == "/" || !previousWasSlash)
    }
}

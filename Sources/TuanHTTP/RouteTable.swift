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
        /// Compared byte for byte with the path's segment.
        case literal([UInt8])
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
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(Array(part.utf8))
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
        if let candidates = parameterised[Self.segmentCount(path)] {
            var path = path
            path.withUTF8 { bytes in
                // Patterns are tested without allocating; only the winner's parameters are built.
                let segments = Self.segmentRanges(bytes)
                for index in candidates {
                    if let best, best.index < index { break }
                    guard Self.matches(entries[index].segments, segments, in: bytes) else { continue }
                    if entries[index].method == method {
                        best = (index, Self.parameters(entries[index].segments, segments, in: bytes))
                        break
                    }
                    allowed.append(entries[index].method)
                }
            }
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

    /// Where each non-empty segment of the path lies.
    private static func segmentRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var position = 0
        while position < bytes.count {
            while position < bytes.count, bytes[position] == UInt8(ascii: "/") { position += 1 }
            var end = position
            while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
            if end > position { ranges.append(position..<end) }
            position = end
        }
        return ranges
    }

    /// True when every literal segment of the pattern equals the path's segment there (the
    /// segment counts already agree).
    private static func matches(_ pattern: [Segment], _ segments: [Range<Int>], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for (segment, range) in zip(pattern, segments) {
            guard case .literal(let literal) = segment else { continue }
            guard literal.count == range.count else { return false }
            for (offset, byte) in literal.enumerated() where bytes[range.lowerBound + offset] != byte { return false }
        }
        return true
    }

    private static func parameters(_ pattern: [Segment], _ segments: [Range<Int>],
                                   in bytes: UnsafeBufferPointer<UInt8>) -> [String: String] {
        var parameters: [String: String] = [:]
        for (segment, range) in zip(pattern, segments) {
            if case .parameter(let name) = segment {
                parameters[name] = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
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

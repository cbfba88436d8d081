/// The one policy for every URL Tuan calls out to (suppliers' endpoints now, storefronts'
/// later): http or https, a host, no control characters or spaces anywhere (libcurl stops at
/// a NUL and would call the part before it), no user information, and never an address
/// literal that is unspecified or link-local (169.254.169.254 is the cloud metadata service).
/// Names are checked again at connect time against the address they resolve to, where
/// loopback and private ranges are refused too unless the server allows them.
public enum OutboundURL {
    public static func validate(_ url: String, field: String) throws(DomainError) {
        let bytes = Array(url.utf8)
        guard bytes.count <= 2048, bytes.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw .invalid(field, "must be at most 2048 characters with no spaces or control characters")
        }
        let lower = url.lowercased()
        let scheme = lower.hasPrefix("https://") ? "https://" : (lower.hasPrefix("http://") ? "http://" : nil)
        guard let scheme else { throw .invalid(field, "must be an http:// or https:// URL") }
        let rest = lower.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { throw .invalid(field, "must not carry a user name or password") }
        var host = Substring(authority)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw .invalid(field, "has an unterminated IPv6 address") }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw .invalid(field, "must name a host") }
        if isForbiddenLiteral(String(host)) {
            throw .invalid(field, "must not be an unspecified or link-local address")
        }
    }

    /// IPv4 0.0.0.0/8 and 169.254.0.0/16, IPv6 :: and fe80::/10 (and IPv4-mapped forms).
    static func isForbiddenLiteral(_ host: String) -> Bool {
        let v4 = host.hasPrefix("::ffff:") ? String(host.dropFirst(7)) : host
        let parts = v4.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(\.isASCIIDigit) }) {
            let octets = parts.compactMap { UInt16($0) }
            return octets.count == 4 && (octets[0] == 0 || (octets[0] == 169 && octets[1] == 254))
        }
        guard host.contains(":") else { return false }
        if host.allSatisfy({ $0 == ":" || $0 == "0" }) { return true }
        return ["fe8", "fe9", "fea", "feb"].contains { host.hasPrefix($0) }
    }
}

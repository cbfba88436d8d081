/// What the parser and connections accept before answering with an error status.
/// Defaults follow well-regarded servers (Hummingbird: 80 KiB of headers, 2 MiB bodies;
/// nginx: 8 KiB request line) tightened for a JSON API.
public struct HTTPLimits: Sendable {
    /// Request line (method, target, version): longer is 414.
    public var maxRequestLineBytes = 8 * 1024
    /// Request line plus all header lines: larger is 431.
    public var maxHeaderBytes = 32 * 1024
    /// More header fields than this is 431.
    public var maxHeaderCount = 100
    /// Larger bodies are 413 (checked from Content-Length before reading them).
    public var maxBodyBytes = 1024 * 1024

    public init() {}
}

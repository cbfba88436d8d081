extension HTTPServer {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 asks the kernel for a free port; `start()` returns the one bound.
        public var port = 8080
        /// One epoll loop per core is the usual shape.
        public var eventLoopCount = 2
        public var limits = HTTPLimits()
        /// Connections beyond this are answered 503 and closed at once.
        public var maxConnections = 4096
        /// Descriptors kept out of the connections' share of the open-file limit, for the
        /// database, its readers, libcurl and the loops (see `DescriptorLimit`).
        public var reservedDescriptors = DescriptorLimit.reserved
        /// A request must arrive in full within this many ms of its first byte (slowloris guard).
        public var requestTimeoutMilliseconds: Int64 = 10_000
        /// A keep-alive connection with nothing to say is closed after this many ms.
        public var idleTimeoutMilliseconds: Int64 = 60_000
        /// A response write that makes no progress for this long drops the connection.
        public var writeTimeoutMilliseconds: Int64 = 30_000
        /// On shutdown, in-flight requests get this long to finish.
        public var shutdownGraceMilliseconds: Int64 = 10_000
        public var backlog: Int32 = 1024

        public init() {}
    }
}

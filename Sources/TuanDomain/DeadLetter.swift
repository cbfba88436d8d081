/// An event an endpoint gave up on after its retries, kept until redelivered.
public struct DeadLetter: Sendable, Equatable {
    public var seq: Int64
    public var stream: Int64
    public var attempts: Int64
    public var lastError: String?
    public var diedAt: Timestamp

    public init(seq: Int64, stream: Int64, attempts: Int64, lastError: String?, diedAt: Timestamp) {
        self.seq = seq
        self.stream = stream
        self.attempts = attempts
        self.lastError = lastError
        self.diedAt = diedAt
    }
}

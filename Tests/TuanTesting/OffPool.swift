import Foundation

/// Runs blocking or CPU-heavy work on its own thread. swift-testing runs tests on the
/// cooperative pool (one thread per core); a long synchronous call there starves the other
/// suites' servers, which run on the same pool in the same process.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

import CEpoll
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One thread running epoll (level-triggered) over the connections it owns. Other threads
/// hand it work with `execute`, which queues a closure and wakes epoll through an eventfd.
///
/// It is also a `TaskExecutor`: request handlers run as tasks that prefer their connection's
/// loop, so a request is parsed, handled and answered on one thread, and the only hand-off is
/// to the SQLite threads and back. (Through the global pool it took two more thread wake-ups
/// per request, which perf measured as the largest cost after SQLite itself.) Handlers must
/// not block; blocking work belongs on the store's threads, as all SQLite calls already are.
///
/// Everything a loop owns (its connections, their buffers) is touched only on its thread;
/// that confinement is why it is `@unchecked Sendable`.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    /// Something registered with the loop that reacts to readiness.
    protocol Handler: AnyObject {
        func handleEvents(_ events: UInt32)
    }

    let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    /// Work queued from any thread, and whether the loop is (about to be) asleep in
    /// `epoll_wait`: only then does queueing need the eventfd write, one syscall saved per
    /// hand-off while the loop is busy.
    private struct Pending {
        var closures: [@Sendable () -> Void] = []
        var jobs: [UnownedJob] = []
        var sleeping = false
        var isEmpty: Bool { closures.isEmpty && jobs.isEmpty }
    }

    private let pending = Mutex(Pending())
    private var handlers: [Int32: any Handler] = [:]
    private var interests: [Int32: UInt32] = [:]
    private var periodic: [() -> Void] = []
    private var running = true
    private let finished = DispatchSemaphore(value: 0)
    private(set) var thread: Thread?
    /// Where this loop's connections `recv` into before appending to their own buffers:
    /// one allocation per loop instead of one per read.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    init(index: Int) throws {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw Socket.Error(operation: "epoll_create1", code: errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw Socket.Error(operation: "eventfd", code: errno) }
        _ = tuan_epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue, UInt64(wakeFD))
    }

    deinit { readBuffer.deallocate() }

    func start() {
        let thread = Thread { [self] in
            tuan_name_thread("tuan-loop-\(index)")  // for `top -H` and perf
            // The group-commit writer answers a batch by resuming its handler tasks on these
            // loops, one after another. Woken as ordinary threads, the loops preempted the
            // writer at the first resume, so it finished the batch in pieces and woke each
            // loop several times per commit (4.3 eventfd writes per commit, measured). As
            // SCHED_BATCH they wait for a free core or the next tick instead: one wake per loop
            // per commit, and about 4% more pledges per second. Best effort: if refused, the
            // loop runs as an ordinary thread.
            _ = tuan_schedule_calling_thread_as_batch()
            run()
        }
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Runs `work` on the loop thread soon. Safe from any thread.
    func execute(_ work: @escaping @Sendable () -> Void) {
        push { $0.closures.append(work) }
    }

    /// `TaskExecutor`: runs a task's next slice on the loop thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        push { $0.jobs.append(job) }
    }

    /// Queues work and writes the eventfd only if the loop is asleep.
    private func push(_ add: (inout Pending) -> Void) {
        let wake = pending.withLock { pending -> Bool in
            add(&pending)
            defer { pending.sleeping = false }
            return pending.sleeping
        }
        if wake { wakeUp() }
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Stops the loop after the current iteration and waits for its thread to end.
    func stopAndWait() {
        execute { [self] in running = false }
        finished.wait()
    }

    // MARK: loop-thread only

    func register(_ fd: Int32, events: UInt32, handler: any Handler) {
        handlers[fd] = handler
        interests[fd] = events
        _ = tuan_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, events, UInt64(fd))
    }

    /// Changes what `fd` waits for; skips the syscall when nothing changes.
    func setInterest(_ fd: Int32, events: UInt32) {
        guard interests[fd] != events, interests[fd] != nil else { return }
        interests[fd] = events
        _ = tuan_epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, events, UInt64(fd))
    }

    func deregister(_ fd: Int32) {
        guard handlers.removeValue(forKey: fd) != nil else { return }
        interests[fd] = nil
        _ = tuan_epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, 0, 0)
    }

    /// Adds a task run about every 250 ms: timeouts are checked there.
    func addPeriodicTask(_ task: @escaping () -> Void) { periodic.append(task) }

    private func run() {
        var events = [tuan_epoll_event](repeating: tuan_epoll_event(), count: 256)
        var lastTick = Self.monotonicMilliseconds()
        while running {
            // Sleep only if nothing is queued; from here on, producers see `sleeping` and wake us.
            let mayWait = pending.withLock { pending -> Bool in
                pending.sleeping = pending.isEmpty
                return pending.sleeping
            }
            let count = tuan_epoll_wait(epollFD, &events, Int32(events.count), mayWait ? 250 : 0)
            if mayWait { pending.withLock { $0.sleeping = false } }
            if count < 0 && errno != EINTR { break }
            for i in 0..<max(0, Int(count)) {
                let fd = Int32(truncatingIfNeeded: events[i].data)
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    continue
                }
                handlers[fd]?.handleEvents(events[i].events)
            }
            let (work, jobs) = pending.withLock { pending -> ([@Sendable () -> Void], [UnownedJob]) in
                defer {
                    pending.closures.removeAll(keepingCapacity: true)
                    pending.jobs.removeAll(keepingCapacity: true)
                }
                return (pending.closures, pending.jobs)
            }
            for item in work { item() }
            for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            let now = Self.monotonicMilliseconds()
            if now - lastTick >= 250 {
                lastTick = now
                for task in periodic { task() }
            }
        }
        close(epollFD)
        close(wakeFD)
        finished.signal()
    }

    static func monotonicMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

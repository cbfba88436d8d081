#if canImport(Glibc)
import Glibc
#endif

/// Names the calling thread for `top -H`, perf and gdb. Foundation's `Thread.name` does not
/// reach the OS on Linux, and `pthread_setname_np` is not visible from Swift's Glibc module,
/// so the name goes through procfs; Linux keeps the first 15 bytes.
public func nameCurrentThread(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY)
    guard fd >= 0 else { return }
    _ = name.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, min(15, $0.count - 1)) }
    close(fd)
}

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stdint.h>
#include <sys/prctl.h>

// struct epoll_event is packed on x86_64; rather than rely on how Swift lays out
// packed structs, callers see this plain struct and the wrappers copy.
typedef struct { uint32_t events; uint64_t data; } tuan_epoll_event;

static inline int tuan_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

static inline int tuan_epoll_wait(int epfd, tuan_epoll_event *out, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) { out[i].events = evs[i].events; out[i].data = evs[i].data.u64; }
    return n;
}

#include <sys/socket.h>

// accept4 lets a new socket start non-blocking and close-on-exec in one call.
static inline int tuan_accept4_nonblocking(int fd) {
    return accept4(fd, (struct sockaddr *)0, (socklen_t *)0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static inline int tuan_socket_stream_nonblocking(int family) {
    return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

// Names the calling thread (Linux keeps 15 bytes). Foundation's Thread.name does not reach the
// OS on Linux, and prctl is variadic, which Swift cannot call.
static inline void tuan_name_thread(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

#include <sched.h>
#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif

// Puts the calling thread in SCHED_BATCH (no privilege needed): it still gets its fair share
// of the CPU, but waking it never preempts the thread that woke it. Returns 0 or -1 (errno).
static inline int tuan_schedule_calling_thread_as_batch(void) {
    struct sched_param param = { .sched_priority = 0 };
    return sched_setscheduler(0, SCHED_BATCH, &param);
}

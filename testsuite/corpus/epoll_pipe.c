// epoll on a pipe: epoll_create1, epoll_ctl (ADD/MOD/DEL), epoll_wait; prints the
// event's data.u64 and events mask (struct epoll_event is packed on x86-64 only).
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/epoll.h>

int main(void) {
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) { perror("epoll_create1"); return 1; }
    struct epoll_event ev = {0};
    ev.events = EPOLLIN;
    ev.data.u64 = 0x1122334455667788ULL;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev) != 0) { perror("epoll_ctl"); return 1; }
    struct epoll_event out[4];
    int n = epoll_wait(ep, out, 4, 0);
    printf("before write: n=%d\n", n);
    if (write(fds[1], "hello", 5) != 5) return 1;
    n = epoll_wait(ep, out, 4, 1000);
    printf("after write: n=%d events=0x%x u64=0x%llx\n", n, n > 0 ? out[0].events : 0u,
           n > 0 ? (unsigned long long)out[0].data.u64 : 0ULL);
    char buf[8]; ssize_t r = read(fds[0], buf, sizeof buf);
    printf("read %zd bytes: %.5s\n", r, buf);
    /* Watch the write end too, with a different cookie, and close the writer: EPOLLHUP. */
    struct epoll_event ev2 = {0};
    ev2.events = EPOLLOUT; ev2.data.u64 = 42;
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[1], &ev2);
    n = epoll_wait(ep, out, 4, 1000);
    printf("writable: n=%d events=0x%x u64=%llu\n", n, n > 0 ? out[0].events : 0u, n > 0 ? (unsigned long long)out[0].data.u64 : 0ULL);
    epoll_ctl(ep, EPOLL_CTL_DEL, fds[1], NULL);
    ev.data.u64 = 0xfeedfacecafebeefULL; ev.events = EPOLLIN;
    epoll_ctl(ep, EPOLL_CTL_MOD, fds[0], &ev);
    close(fds[1]);
    n = epoll_wait(ep, out, 4, 1000);
    printf("after close: n=%d events=0x%x u64=0x%llx\n", n, n > 0 ? out[0].events : 0u,
           n > 0 ? (unsigned long long)out[0].data.u64 : 0ULL);
    /* Several events at once: three pipes with data, ids in data.u64. */
    int p[3][2]; struct epoll_event e3 = {0};
    for (int i = 0; i < 3; i++) {
        pipe(p[i]); e3.events = EPOLLIN; e3.data.u64 = 1000 + (uint64_t)i;
        epoll_ctl(ep, EPOLL_CTL_ADD, p[i][0], &e3); write(p[i][1], "x", 1);
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, fds[0], NULL);
    n = epoll_wait(ep, out, 4, 1000);
    uint64_t idsum = 0; unsigned evor = 0;
    for (int i = 0; i < n; i++) { idsum += out[i].data.u64; evor |= out[i].events; }
    printf("three pipes: n=%d idsum=%llu events=0x%x\n", n, (unsigned long long)idsum, evor);
    return 0;
}

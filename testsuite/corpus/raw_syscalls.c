// syscall() with SYS_ constants: hetcc compiles riscv64's numbers and translates them
// per ISA at run time, converting struct stat, epoll_event and open flags; mmap goes
// through libc. Also the error path (errno) and a directory listing via getdents64.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    printf("getpid matches: %d\n", syscall(SYS_getpid) == getpid());
    printf("gettid is pid in main: %d\n", syscall(SYS_gettid) == getpid());
    long n = syscall(SYS_write, 1, "written by SYS_write\n", 21);
    printf("write returned %ld\n", n);
    errno = 0;
    long bad = syscall(SYS_close, -1);
    printf("close(-1): %ld errno EBADF: %d\n", bad, errno == EBADF);

    // A file, then fstat and newfstatat through the struct stat conversion.
    int fd = (int)syscall(SYS_openat, AT_FDCWD, "data.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    printf("openat ok: %d\n", fd >= 0);
    syscall(SYS_write, fd, "0123456789abcdef", 16);
    struct stat st;
    printf("fstat %ld size %lld mode %o\n", syscall(SYS_fstat, fd, &st), (long long)st.st_size,
           (unsigned)(st.st_mode & 0777));
    memset(&st, 0, sizeof st);
    printf("newfstatat %ld size %lld regular %d\n", syscall(SYS_newfstatat, AT_FDCWD, "data.txt", &st, 0),
           (long long)st.st_size, S_ISREG(st.st_mode));
    printf("fcntl F_GETFL accmode rdwr: %d\n", ((int)syscall(SYS_fcntl, fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    syscall(SYS_lseek, fd, 4, SEEK_SET);
    char buf[8] = {0};
    printf("pread64 %ld '%s'\n", syscall(SYS_pread64, fd, buf, 6, 2), buf);
    syscall(SYS_close, fd);

    // O_DIRECTORY has another value on aarch64: the flag must be translated.
    mkdir("dir", 0755);
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "dir/file%d", 4 - i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    int dfd = (int)syscall(SYS_openat, AT_FDCWD, "dir", O_RDONLY | O_DIRECTORY);
    printf("openat O_DIRECTORY ok: %d\n", dfd >= 0);
    char dents[4096];
    long got = syscall(SYS_getdents64, dfd, dents, sizeof dents);
    char *names[16];
    int count = 0;
    for (long off = 0; off < got && count < 16;) {
        struct linux_dirent64 *d = (struct linux_dirent64 *)(dents + off);
        if (d->d_name[0] != '.') {
            names[count++] = strdup(d->d_name);
        }
        off += d->d_reclen;
    }
    qsort(names, count, sizeof names[0], by_name);
    printf("getdents64:");
    for (int i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    struct statfs sfs;
    printf("fstatfs %ld bsize>0 %d\n", syscall(SYS_fstatfs, dfd, &sfs), sfs.f_bsize > 0);
    syscall(SYS_close, dfd);

    // Anonymous memory through SYS_mmap (libc's mmap: inside the migration window).
    char *p = (char *)syscall(SYS_mmap, 0, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap ok: %d\n", p != MAP_FAILED);
    memset(p, 7, 1 << 16);
    long sum = 0;
    for (int i = 0; i < 1 << 16; i += 512) {
        sum += p[i];
    }
    printf("sum %ld munmap %ld\n", sum, syscall(SYS_munmap, p, 1 << 16));

    // epoll_event is packed on x86-64 only.
    int fds[2];
    syscall(SYS_pipe2, fds, O_CLOEXEC);
    int ep = (int)syscall(SYS_epoll_create1, 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    printf("epoll_ctl %ld\n", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, fds[0], &ev));
    syscall(SYS_write, fds[1], "x", 1);
    struct epoll_event out[2];
    memset(out, 0, sizeof out);
    long ready = syscall(SYS_epoll_pwait, ep, out, 2, 1000, NULL, 8);
    printf("epoll_pwait %ld events %x data %llx\n", ready, out[0].events, (unsigned long long)out[0].data.u64);

    struct utsname u;
    printf("uname %ld sysname %s\n", syscall(SYS_uname, &u), u.sysname);
    unsigned char rnd[16];
    printf("getrandom %ld\n", syscall(SYS_getrandom, rnd, sizeof rnd, 0));
    return 0;
}

// fcntl's commands and flags, both ways: descriptor flags, status flags (aarch64
// numbers O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE differently), record
// locks and open-file-description locks, duplication, owner and pipe size.
// O_LARGEFILE is not printed: a 64-bit kernel reports it for every file, qemu-user
// hides it from its guests.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show_flags(const char *what, int fd) {
    int fl = fcntl(fd, F_GETFL);
    printf("%s: acc=%d append=%d nonblock=%d directory=%d\n", what, fl & O_ACCMODE, !!(fl & O_APPEND),
           !!(fl & O_NONBLOCK), !!(fl & O_DIRECTORY));
}

int main(void) {
    int fd = open("locked.dat", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(fd, "hello, locks\n", 13);
    show_flags("file", fd);
    printf("F_SETFL append|nonblock: %d\n", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
    show_flags("file after F_SETFL", fd);

    printf("F_GETFD: %d\n", fcntl(fd, F_GETFD));
    printf("F_SETFD cloexec: %d -> %d\n", fcntl(fd, F_SETFD, FD_CLOEXEC), fcntl(fd, F_GETFD));
    int dup = fcntl(fd, F_DUPFD, 10);
    int dupc = fcntl(fd, F_DUPFD_CLOEXEC, 20);
    printf("F_DUPFD >= 10: %d, F_DUPFD_CLOEXEC >= 20: %d, its FD flag %d, dup's %d\n", dup >= 10, dupc >= 20,
           fcntl(dupc, F_GETFD), fcntl(dup, F_GETFD));

    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5};
    printf("F_SETLK: %d\n", fcntl(fd, F_SETLK, &lock));
    struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5};
    printf("F_GETLK (own process): %d type unlocked %d\n", fcntl(fd, F_GETLK, &probe), probe.l_type == F_UNLCK);
    lock.l_type = F_UNLCK;
    printf("F_SETLKW unlock: %d\n", fcntl(fd, F_SETLKW, &lock));

    struct flock ofd = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 3};
    printf("F_OFD_SETLK: %d\n", fcntl(fd, F_OFD_SETLK, &ofd));
    int other = open("locked.dat", O_RDWR);
    struct flock want = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    printf("F_OFD_GETLK from another description: %d conflict %d at %lld+%lld pid %d\n",
           fcntl(other, F_OFD_GETLK, &want), want.l_type == F_RDLCK, (long long)want.l_start,
           (long long)want.l_len, want.l_pid);
    errno = 0;
    printf("F_OFD_SETLK conflicting: %d EAGAIN %d\n", fcntl(other, F_OFD_SETLK, &want), errno == EAGAIN);

    printf("F_SETOWN: %d F_GETOWN is self: %d\n", fcntl(fd, F_SETOWN, getpid()), fcntl(fd, F_GETOWN) == getpid());

    int dir = open(".", O_RDONLY | O_DIRECTORY);
    show_flags("directory", dir);
    int nofollow = open("locked.dat", O_RDONLY | O_NOFOLLOW);
    printf("O_NOFOLLOW open ok: %d\n", nofollow >= 0);
    symlink("locked.dat", "link");
    errno = 0;
    printf("O_NOFOLLOW on a symlink: %d ELOOP %d\n", open("link", O_RDONLY | O_NOFOLLOW), errno == ELOOP);

    int p[2];
    pipe(p);
    int size = fcntl(p[0], F_GETPIPE_SZ);
    printf("F_GETPIPE_SZ > 0: %d, F_SETPIPE_SZ 1 MiB: %d\n", size > 0, fcntl(p[0], F_SETPIPE_SZ, 1 << 20) >= (1 << 20));
    show_flags("pipe", p[1]);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    show_flags("pipe nonblocking", p[1]);
    errno = 0;
    printf("F_GETFD on a closed descriptor: %d EBADF %d\n", fcntl(99, F_GETFD), errno == EBADF);
    return 0;
}

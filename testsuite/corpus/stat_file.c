// stat()/fstat()/lstat() on files this program creates (the kernel's struct stat layout
// differs per ISA): prints sizes and file-type bits, never times, inodes or devices.
#include <stdio.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>

static void show(const char *what, const struct stat *st) {
    printf("%s: size=%lld reg=%d dir=%d lnk=%d mode=%03o nlink=%lu\n", what, (long long)st->st_size,
           S_ISREG(st->st_mode) != 0, S_ISDIR(st->st_mode) != 0, S_ISLNK(st->st_mode) != 0,
           (unsigned)(st->st_mode & 0777), (unsigned long)st->st_nlink);
}

int main(void) {
    char path[64], link[72], dir[72];
    snprintf(path, sizeof path, "/tmp/hetcc_stat_%ld", (long)getpid());
    snprintf(link, sizeof link, "%s.lnk", path);
    snprintf(dir, sizeof dir, "%s.d", path);
    umask(022);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0640);
    if (fd < 0) { perror("open"); return 1; }
    char block[1000];
    memset(block, 'z', sizeof block);
    for (int i = 0; i < 12; i++) if (write(fd, block, sizeof block - (size_t)i) < 0) return 2;
    struct stat st;
    if (fstat(fd, &st) != 0) { perror("fstat"); return 3; }
    show("fstat", &st);
    close(fd);
    if (stat(path, &st) != 0) { perror("stat"); return 4; }
    show("stat", &st);
    if (truncate(path, 4097) != 0) return 5;
    stat(path, &st);
    show("truncated", &st);
    if (symlink(path, link) != 0) { perror("symlink"); return 6; }
    lstat(link, &st);
    printf("lstat link: lnk=%d size_is_target_len=%d\n", S_ISLNK(st.st_mode) != 0, st.st_size == (off_t)strlen(path));
    stat(link, &st);
    show("stat via link", &st);
    mkdir(dir, 0755);
    stat(dir, &st);
    printf("dir: dir=%d reg=%d mode=%03o\n", S_ISDIR(st.st_mode) != 0, S_ISREG(st.st_mode) != 0, (unsigned)(st.st_mode & 0777));
    int missing = stat("/tmp/hetcc_definitely_missing_file", &st);
    printf("missing: rc=%d\n", missing);
    unlink(link); unlink(path); rmdir(dir);
    printf("cleaned: %d\n", stat(path, &st) != 0);
    return 0;
}

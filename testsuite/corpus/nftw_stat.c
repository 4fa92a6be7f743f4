// nftw() and ftw() hand their callback a struct stat, which x86-64 lays out otherwise
// than the canonical riscv64 layout the program was compiled for: sizes, types, link
// counts and modes must read the same on every ISA. Entries are sorted before printing
// (readdir order is the file system's).
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char lines[64][128];
static int count;
static long long total;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    if (count < 64) {
        snprintf(lines[count++], sizeof lines[0], "%-22s type=%d level=%d size=%lld mode=%o dir=%d nlink=%d", path,
                 type, ftw->level, S_ISREG(st->st_mode) ? (long long)st->st_size : -1LL,
                 (unsigned)(st->st_mode & 0777), S_ISDIR(st->st_mode), S_ISREG(st->st_mode) ? (int)st->st_nlink : -1);
    }
    if (S_ISREG(st->st_mode)) {
        total += st->st_size;
    }
    return 0;
}

static int plain(const char *path, const struct stat *st, int type) {
    if (type == FTW_F && st->st_size == 300) {
        printf("ftw found the 300-byte file %s blocks>0 %d\n", path, st->st_blocks > 0);
    }
    return 0;
}

static int by_text(const void *a, const void *b) {
    return strcmp((const char *)a, (const char *)b);
}

static void make_file(const char *path, int size, mode_t mode) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    char block[64];
    memset(block, 'z', sizeof block);
    for (int left = size; left > 0; left -= (int)sizeof block) {
        write(fd, block, left < (int)sizeof block ? (size_t)left : sizeof block);
    }
    close(fd);
    chmod(path, mode);
}

int main(void) {
    mkdir("tree", 0755);
    mkdir("tree/a", 0750);
    mkdir("tree/a/deep", 0700);
    mkdir("tree/b", 0755);
    make_file("tree/top.txt", 10, 0644);
    make_file("tree/a/one", 300, 0600);
    make_file("tree/a/deep/two", 4097, 0640);
    make_file("tree/b/three", 0, 0444);
    link("tree/a/one", "tree/b/hardlink");
    symlink("../top.txt", "tree/b/sym");

    printf("nftw: %d\n", nftw("tree", visit, 8, FTW_PHYS));
    qsort(lines, count, sizeof lines[0], by_text);
    for (int i = 0; i < count; i++) {
        printf("%s\n", lines[i]);
    }
    printf("%d entries, %lld bytes in regular files\n", count, total);
    count = 0;
    printf("nftw depth-first: %d, entries %d\n", nftw("tree", visit, 8, FTW_PHYS | FTW_DEPTH), count);
    printf("ftw: %d\n", ftw("tree", plain, 4));
    return 0;
}

// libc variadic functions called through function pointers: printf, fprintf, sprintf,
// snprintf in tables and struct members, next to program functions whose loops make
// those indirect calls equivalence points under -fhet-migratable; open/fcntl through
// pointers (their optional argument), swprintf, and a function's address printed with
// %p (a variadic libc call that receives a program function).
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static unsigned long mix(unsigned long h, unsigned long v) {
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (i * 8)) & 0xff;
        h *= 1099511628211UL;
    }
    return h;
}

static unsigned long checksum_bytes(const char *s) {
    unsigned long h = 14695981039346656037UL;
    while (*s)
        h = mix(h, (unsigned char)*s++);
    return h;
}

typedef unsigned long (*step_fn)(unsigned long, unsigned long);

static unsigned long step_add(unsigned long h, unsigned long v) { return mix(h, v + 1); }
static unsigned long step_xor(unsigned long h, unsigned long v) { return mix(h ^ v, v); }

// A sink: where and how a line is written; the step is a program function, so an
// indirect call through this struct may reach a migration point.
struct sink {
    int (*write)(FILE *, const char *, ...);
    step_fn step;
    FILE *stream;
    const char *name;
};

struct formatter {
    const char *name;
    int (*bounded)(char *, size_t, const char *, ...);
    int (*unbounded)(char *, const char *, ...);
};

static int (*const printers[])(const char *, ...) = { printf, printf };
static const struct formatter formatters[] = {
    { "libc", snprintf, sprintf },
    { "libc-again", snprintf, sprintf },
};

static unsigned long run_sink(struct sink *s, int n) {
    unsigned long h = 1;
    for (int i = 0; i < n; i++) {
        h = s->step(h, (unsigned long)i);
        if (i % 97 == 0)
            s->write(s->stream, "%s: i=%d h=%016lx d=%.4f c=%c s=%s\n", s->name, i, h, i / 7.0, 'a' + i % 26,
                     i % 2 ? "odd" : "even");
    }
    return h;
}

static int format_all(const struct formatter *f, char *out, size_t size, int round) {
    char small[16];
    int a = f->bounded(small, sizeof small, "%s|%d|%ld|%.3e", f->name, round, -123456789012L * round, 2.5 / (round + 1));
    int b = f->unbounded(out, "[%s] %5d %-8s %x %lu %g", small, a, f->name, 0xbeefu + round, (unsigned long)size,
                         1.0 / 3);
    return a * 1000 + b;
}

int main(int argc, char **argv) {
    (void)argv;
    struct sink sinks[2] = {
        { fprintf, step_add, stdout, "add" },
        { fprintf, step_xor, stdout, "xor" },
    };
    unsigned long total = 0;
    for (int k = 0; k < 4; k++)
        total = mix(total, run_sink(&sinks[(k + argc) & 1], 300 + 50 * k));
    printers[argc & 1]("total %016lx\n", total);

    char out[256];
    unsigned long fh = 0;
    for (int round = 0; round < 40; round++) {
        const struct formatter *f = &formatters[(round + argc) & 1];
        int r = format_all(f, out, sizeof out, round);
        fh = mix(fh, checksum_bytes(out) + (unsigned long)r);
        if (round % 13 == 0)
            printers[round & 1]("%2d %s -> %d\n", round, out, r);
    }
    printf("formatted %016lx\n", fh);

    // A program function's address through a variadic libc call (%p): the same on every
    // ISA but not against the reference, so only its shape is printed.
    char addr[32];
    int n = formatters[argc & 1].bounded(addr, sizeof addr, "%p", (void *)step_xor);
    printf("pointer printed: %d chars, starts with 0x: %d\n", n > 2, strncmp(addr, "0x", 2) == 0);
    n = snprintf(addr, sizeof addr, "%p", (void *)run_sink);
    printf("pointer printed directly: %d\n", n > 2);

    int (*open_fn)(const char *, int, ...) = open;
    int (*fcntl_fn)(int, int, ...) = fcntl;
    int fd = open_fn("varargs_indirect.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    if (fd < 0) {
        printf("open failed\n");
        return 1;
    }
    printf("access mode %d, append %d\n", fcntl_fn(fd, F_GETFL) & O_ACCMODE, (fcntl_fn(fd, F_GETFL) & O_APPEND) != 0);
    fcntl_fn(fd, F_SETFL, O_APPEND);
    printf("append after F_SETFL %d, cloexec %d\n", (fcntl_fn(fd, F_GETFL) & O_APPEND) != 0,
           fcntl_fn(fd, F_GETFD) & FD_CLOEXEC);
    fcntl_fn(fd, F_SETFD, FD_CLOEXEC);
    printf("cloexec after F_SETFD %d\n", fcntl_fn(fd, F_GETFD) & FD_CLOEXEC);
    int (*dprintf_fn)(int, const char *, ...) = dprintf;
    dprintf_fn(fd, "%s %d %.2f\n", "through dprintf", 42, 0.5);
    close(fd);
    fd = open_fn("varargs_indirect.txt", O_RDONLY);
    char back[64] = { 0 };
    ssize_t got = read(fd, back, sizeof back - 1);
    close(fd);
    printf("read back %zd bytes: %s", got, back);

    int (*sw)(wchar_t *, size_t, const wchar_t *, ...) = swprintf;
    wchar_t wide[64];
    int wn = sw(wide, 64, L"%ls=%d/%.1f", L"wide", 7, 2.25);
    unsigned long wh = 0;
    for (int i = 0; i < wn; i++)
        wh = mix(wh, (unsigned long)wide[i]);
    printf("swprintf %d chars, %016lx\n", wn, wh);
    return 0;
}

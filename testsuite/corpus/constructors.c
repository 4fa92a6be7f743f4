// Constructors and destructors, with and without priorities, in the order C and GNU
// ld give them: constructors by ascending priority, then the unprioritised ones in
// program order; destructors the other way round; atexit handlers interleave with
// destructors as registered.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char trace[256];
static char *from_constructor;

static void note(const char *what) {
    strcat(trace, what);
    strcat(trace, " ");
}

__attribute__((constructor(300))) static void third(void) { note("c300"); }
__attribute__((constructor(101))) static void first(void) { note("c101"); }
__attribute__((constructor)) static void plain_a(void) {
    note("c-a");
    from_constructor = malloc(32);
    strcpy(from_constructor, "heap memory from a constructor");
}
__attribute__((constructor(200))) static void second(void) { note("c200"); }
__attribute__((constructor)) static void plain_b(void) { note("c-b"); }

__attribute__((destructor(101))) static void d101(void) { printf("d101 %s\n", from_constructor); }
__attribute__((destructor(200))) static void d200(void) { printf("d200\n"); }
__attribute__((destructor)) static void d_plain(void) { printf("d-plain\n"); }

static void at_exit(void) { printf("atexit handler\n"); }

int main(void) {
    printf("constructors ran: %s\n", trace);
    printf("%s\n", from_constructor);
    atexit(at_exit);
    unsigned long hash = 5381;
    for (int i = 0; i < 3000; i++) {
        hash = hash * 33 + (unsigned char)from_constructor[i % 30] + (unsigned char)trace[i % 20];
        if (i % 1000 == 999) {
            printf("hash %lx\n", hash);
        }
    }
    return 0;
}

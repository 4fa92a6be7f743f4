// het: args 10 20 -5 "two words" 0x1f last
// Command-line arguments: argc, each argument (argv[0] is not printed: it differs
// between a native run and a qemu run), numeric parsing, and argv[argc] == NULL.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    long sum = 0; size_t chars = 0;
    for (int i = 1; i < argc; i++) {
        char *end; long v = strtol(argv[i], &end, 0);
        int numeric = *argv[i] && !*end;
        if (numeric) sum += v;
        chars += strlen(argv[i]);
        printf("argv[%d]='%s' numeric=%d\n", i, argv[i], numeric);
    }
    printf("sum=%ld chars=%zu argv[argc]==NULL: %d\n", sum, chars, argv[argc] == NULL);
    return argc > 5 ? 0 : 1;
}

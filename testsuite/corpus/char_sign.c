// het: native-differs plain char is signed on x86-64 but unsigned on aarch64 and riscv64 (hetcc uses -fsigned-char everywhere)
// Plain char signedness: hetcc compiles every ISA with x86-64's convention (signed).
#include <stdio.h>

int main(void) {
    char c = (char)200;
    printf("(int)(char)200 = %d\n", (int)(char)200);
    printf("c < 0: %d\n", c < 0);
    const char *s = "\xff\x80\x7f";
    int sum = 0;
    for (const char *p = s; *p; p++) sum += *p;
    printf("sum of \\xff\\x80\\x7f as char = %d\n", sum);
    printf("(char)-1 == 255: %d\n", (char)-1 == 255);
    signed char sc = (signed char)200; unsigned char uc = (unsigned char)200;
    printf("signed char %d, unsigned char %d\n", sc, uc);
    return 0;
}

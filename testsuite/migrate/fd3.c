/* The smallest program with a file of its own open at a migration point: data.txt is
 * the first file it opens, so its descriptor is 3, and the loop that writes to it
 * through stdio passes the migration points. */
#include <stdio.h>

int main(void) {
    FILE *f = fopen("data.txt", "w");
    if (!f) return 2;
    for (int i = 0; i < 100; i++) fprintf(f, "%d\n", i * i);
    fclose(f);
    printf("wrote 100 lines\n");
    return 0;
}

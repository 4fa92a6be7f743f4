/* More than 256 open descriptors across a migration, and descriptors far above 255.
 * The program opens data.txt 300 times (one open file description each, at its own
 * offset), so its descriptors run from 4 past 300, and moves an output file to
 * descriptor 900 with dup2, writing to it through a stdio stream. The read loop, whose
 * latches are migration points, reads one byte from every descriptor per round, so a
 * migration in it must carry every descriptor with its offset; the output stream has
 * pending buffered data. At the end it prints a checksum of what it read and the output
 * file's size and checksum.
 *
 * A placeholder takes descriptor 3 while the files are opened and is closed before
 * the read loop (as in files.c), so the descriptors the loop migrates are all above 3. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define FILES 300
#define ROUNDS 4
#define HIGH_FD 900

int main(void) {
    int placeholder = open(".", O_RDONLY);
    FILE *w = fopen("data.txt", "w");
    if (placeholder != 3 || !w) return 2;
    for (int i = 0; i < FILES + ROUNDS; i++) fputc('a' + (i * 7) % 26, w);
    fclose(w);

    int fds[FILES];
    for (int i = 0; i < FILES; i++) {
        fds[i] = open("data.txt", O_RDONLY);
        if (fds[i] < 0 || lseek(fds[i], i, SEEK_SET) != i) return 3;
    }
    int out = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || dup2(out, HIGH_FD) != HIGH_FD) return 4;
    close(out);
    FILE *o = fdopen(HIGH_FD, "w");
    if (!o) return 5;
    close(placeholder);
    printf("%d descriptors open, the highest %d and %d\n", FILES + 1, fds[FILES - 1], HIGH_FD);

    unsigned long sum = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < FILES; i++) {
            char c;
            if (read(fds[i], &c, 1) != 1) return 6;
            sum = sum * 31 + (unsigned char)c;
            fprintf(o, "%d %d %c\n", round, fds[i], c);
        }
    }
    if (fclose(o) != 0) return 7;
    for (int i = 0; i < FILES; i++) close(fds[i]);

    FILE *r = fopen("out.txt", "r");
    if (!r) return 8;
    long size = 0;
    unsigned long check = 0;
    for (int c; (c = fgetc(r)) != EOF; size++) check = check * 131 + (unsigned)c;
    fclose(r);
    printf("read sum %lu, out.txt %ld bytes, checksum %lu\n", sum, size, check);
    return 0;
}

/* Open files across a migration. The program writes data.txt through stdio, then reads
 * it back line by line with fgets (a read buffer with unread data and a file offset
 * ahead of it), reads it in chunks through a raw descriptor at an explicit offset,
 * and appends a line per record to log.txt through a stdio stream opened with "a"
 * (pending buffered data). Migration points are the loops' latches, so a migration
 * happens in the middle of writing, reading or appending. At the end it prints the
 * sums, log.txt's size and a checksum of its contents.
 *
 * Descriptor 3 is kept free at every migration point (taken by a placeholder while the
 * program's files are opened, then closed): a restore fails when the checkpoint holds
 * descriptor 3, which fd3.c checks on its own. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int placeholder = open(".", O_RDONLY);
    FILE *w = fopen("data.txt", "w");
    if (placeholder != 3 || !w) return 2;
    close(placeholder);
    for (int i = 0; i < 400; i++) fprintf(w, "line %d %d\n", i, i * i % 97);
    fclose(w);

    placeholder = open(".", O_RDONLY);
    FILE *r = fopen("data.txt", "r");
    FILE *log = fopen("log.txt", "a");
    int fd = open("data.txt", O_RDONLY);
    if (!r || !log || fd < 0) return 3;
    if (placeholder != 3 || lseek(fd, 100, SEEK_SET) != 100) return 4;
    close(placeholder);
    char buf[64], chunk[37];
    long sum = 0, bytes = 0;
    unsigned raw = 0;
    int n = 0;
    while (fgets(buf, sizeof buf, r)) {
        int a, b;
        if (sscanf(buf, "line %d %d", &a, &b) != 2) return 5;
        sum += (long)a * b;
        n++;
        fprintf(log, "%d:%ld\n", n, sum);
        ssize_t got = read(fd, chunk, sizeof chunk);
        for (ssize_t i = 0; i < got; i++) raw = raw * 31 + (unsigned char)chunk[i];
        if (got > 0) bytes += got;
    }
    fclose(r);
    fclose(log);
    close(fd);
    printf("records %d sum %ld raw %u bytes %ld\n", n, sum, raw, bytes);

    placeholder = open(".", O_RDONLY);
    FILE *check = fopen("log.txt", "r");
    if (placeholder != 3 || !check) return 6;
    close(placeholder);
    unsigned h = 0;
    long size = 0;
    int c;
    while ((c = fgetc(check)) != EOF) {
        h = h * 33 + (unsigned)c;
        size++;
    }
    fclose(check);
    printf("log size %ld hash %u\n", size, h);
    return 0;
}

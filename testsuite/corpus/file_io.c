// stdio file I/O on a file in /tmp named with the pid: fopen/fwrite/fread/fseek/ftell,
// fprintf/fscanf/fgets, append mode, rewind, then remove the file.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

int main(void) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/hetcc_fileio_%ld.bin", (long)getpid());
    FILE *f = fopen(path, "wb+");
    if (!f) { perror("fopen"); return 1; }
    uint32_t data[1000];
    for (int i = 0; i < 1000; i++) data[i] = (uint32_t)i * 2654435761u;
    size_t w = fwrite(data, sizeof data[0], 1000, f);
    printf("wrote %zu records, ftell=%ld\n", w, ftell(f));
    fseek(f, 400 * (long)sizeof(uint32_t), SEEK_SET);
    uint32_t rec[10];
    size_t r = fread(rec, sizeof rec[0], 10, f);
    printf("read %zu at 400: %u %u ... %u, ftell=%ld\n", r, rec[0], rec[1], rec[9], ftell(f));
    fseek(f, -8, SEEK_END);
    r = fread(rec, sizeof rec[0], 10, f);
    printf("short read at end: %zu feof=%d last=%u\n", r, feof(f) != 0, rec[1]);
    fseek(f, 0, SEEK_END);
    printf("size via SEEK_END=%ld\n", ftell(f));
    /* Overwrite in the middle, then verify the whole file. */
    fseek(f, 10 * (long)sizeof(uint32_t), SEEK_SET);
    uint32_t patch[3] = {7, 8, 9};
    fwrite(patch, sizeof patch[0], 3, f);
    rewind(f);
    uint32_t back[1000];
    r = fread(back, sizeof back[0], 1000, f);
    uint64_t h = 0; for (size_t i = 0; i < r; i++) h = h * 1000003 + back[i];
    printf("reread %zu hash=%llu back[10..12]=%u,%u,%u\n", r, (unsigned long long)h, back[10], back[11], back[12]);
    fclose(f);
    /* Text mode: fprintf, then append, then fgets/fscanf. */
    f = fopen(path, "w");
    for (int i = 1; i <= 5; i++) fprintf(f, "line %d value %.3f\n", i, i / 3.0);
    fclose(f);
    f = fopen(path, "a"); fputs("appended line\n", f); fputc('X', f); fputc('\n', f); fclose(f);
    f = fopen(path, "r");
    char line[128]; int n = 0;
    while (fgets(line, sizeof line, f)) { n++; printf("fgets[%d]: %s", n, line); }
    rewind(f);
    int idx; double val; int parsed = 0;
    while (fscanf(f, "line %d value %lf\n", &idx, &val) == 2) parsed++;
    printf("fscanf parsed %d lines, last idx=%d val=%.3f\n", parsed, idx, val);
    fclose(f);
    printf("remove=%d\n", remove(path));
    printf("reopen after remove: %s\n", fopen(path, "r") ? "exists" : "gone");
    return 0;
}

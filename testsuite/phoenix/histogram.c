// het: args small
// Phoenix "histogram", serial: per-channel (R, G, B) 256-bin histograms of a 24-bit
// BMP. The image is generated from a seed, encoded in memory as a complete BMP file
// (BITMAPFILEHEADER + BITMAPINFOHEADER, bottom-up rows padded to 4 bytes), then parsed
// back and histogrammed from the file bytes. Check: every channel's bins sum to the
// pixel count, and a recount straight from the pixel generator (column-major, no BMP)
// gives the same 768 bins.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phoenix_common.h"

struct size { const char *name; uint32_t width, height; };
static const struct size SIZES[] = {
    {"small", 301, 211},     /* 63 511 pixels; width not a multiple of 4: row padding */
    {"medium", 2003, 1999},  /* 4.0 M pixels */
    {"large", 6001, 4001},   /* 24 M pixels, 72 MB file */
};

static const uint64_t SEED = 0x5eed0001ULL;


/* Pixel (x, y), y = 0 at the top: smooth gradients plus noise, so the histograms have
 * shape. A pure function of (x, y), so any traversal order sees the same image. */
static void pixel(uint32_t x, uint32_t y, uint32_t w, uint32_t h, unsigned char rgb[3]) {
    uint64_t r = mix64(SEED ^ ((uint64_t)y << 32 | x));
    uint32_t gx = (uint32_t)((uint64_t)x * 255 / w), gy = (uint32_t)((uint64_t)y * 255 / h);
    uint32_t red = (gx * 3 + gy) / 4 + (uint32_t)(r & 31);
    uint32_t green = ((gx ^ gy) & 0xf0) + (uint32_t)((r >> 8) & 15);
    uint32_t blue = (uint32_t)((r >> 16) & 0xff) < 64 ? (uint32_t)((r >> 24) & 0xff) : (gx + gy) / 2;
    rgb[0] = (unsigned char)(red > 255 ? 255 : red);
    rgb[1] = (unsigned char)green;
    rgb[2] = (unsigned char)blue;
}

static void put16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static uint32_t get16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const unsigned char *p) { return get16(p) | get16(p + 2) << 16; }

enum { FILE_HDR = 14, INFO_HDR = 40 };

/* Encodes the image as a 24-bit BMP; returns the buffer and its length. */
static unsigned char *make_bmp(uint32_t w, uint32_t h, size_t *len) {
    size_t stride = ((size_t)w * 3 + 3) & ~(size_t)3;
    size_t data = FILE_HDR + INFO_HDR;
    *len = data + stride * h;
    unsigned char *b = calloc(*len, 1);
    if (!b) return NULL;
    b[0] = 'B'; b[1] = 'M';
    put32(b + 2, (uint32_t)*len);
    put32(b + 10, (uint32_t)data);
    put32(b + 14, INFO_HDR);
    put32(b + 18, w);
    put32(b + 22, h);          /* positive height: bottom-up */
    put16(b + 26, 1);          /* planes */
    put16(b + 28, 24);         /* bits per pixel */
    put32(b + 30, 0);          /* BI_RGB */
    put32(b + 34, (uint32_t)(stride * h));
    put32(b + 38, 2835);       /* 72 dpi */
    put32(b + 42, 2835);
    for (uint32_t y = 0; y < h; y++) {
        unsigned char *row = b + data + (size_t)(h - 1 - y) * stride;
        for (uint32_t x = 0; x < w; x++) {
            unsigned char rgb[3];
            pixel(x, y, w, h, rgb);
            row[3 * x] = rgb[2];       /* BMP stores B, G, R */
            row[3 * x + 1] = rgb[1];
            row[3 * x + 2] = rgb[0];
        }
    }
    return b;
}

/* Parses the BMP and counts; returns 0 on success or a message. */
static const char *histogram(const unsigned char *b, size_t len, uint64_t hist[3][256],
                             uint32_t *w_out, uint32_t *h_out) {
    if (len < FILE_HDR + INFO_HDR || b[0] != 'B' || b[1] != 'M') return "not a BMP";
    if (get32(b + 2) != len) return "file size field mismatch";
    uint32_t off = get32(b + 10), w = get32(b + 18), h = get32(b + 22);
    if (get32(b + 14) < INFO_HDR) return "unsupported info header";
    if (get16(b + 26) != 1 || get16(b + 28) != 24 || get32(b + 30) != 0) return "not uncompressed 24-bit";
    size_t stride = ((size_t)w * 3 + 3) & ~(size_t)3;
    if (off > len || stride * h > len - off) return "truncated pixel data";
    memset(hist, 0, sizeof(uint64_t) * 3 * 256);
    for (uint32_t r = 0; r < h; r++) {
        const unsigned char *p = b + off + (size_t)r * stride, *end = p + (size_t)w * 3;
        for (; p < end; p += 3) {
            hist[2][p[0]]++;
            hist[1][p[1]]++;
            hist[0][p[2]]++;
        }
    }
    *w_out = w;
    *h_out = h;
    return NULL;
}

int main(int argc, char **argv) {
    const struct size *sz = &SIZES[size_index(argc, argv)];
    size_t len;
    unsigned char *bmp = make_bmp(sz->width, sz->height, &len);
    if (!bmp) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    static uint64_t hist[3][256], ref[3][256];
    uint32_t w, h;
    const char *err = histogram(bmp, len, hist, &w, &h);
    if (err) {
        printf("BMP parse error: %s\nVERIFICATION FAILED\n", err);
        return 1;
    }
    uint64_t pixels = (uint64_t)w * h;
    printf("histogram %s: %ux%u 24-bit BMP, %zu bytes, %llu pixels\n", sz->name, w, h, len,
           (unsigned long long)pixels);

    static const char *names[3] = {"red", "green", "blue"};
    for (int c = 0; c < 3; c++) {
        uint64_t weighted = 0, check = 14695981039346656037ULL;
        int top[3] = {-1, -1, -1};
        for (int v = 0; v < 256; v++) {
            weighted += hist[c][v] * (uint64_t)v;
            check = (check ^ hist[c][v]) * 1099511628211ULL;
            for (int t = 0; t < 3; t++) {
                if (top[t] < 0 || hist[c][v] > hist[c][top[t]]) { /* ties: lower value first */
                    for (int u = 2; u > t; u--) top[u] = top[u - 1];
                    top[t] = v;
                    break;
                }
            }
        }
        printf("%-5s: mean %llu.%03llu  bins-fnv %016llx  top", names[c],
               (unsigned long long)(weighted / pixels),
               (unsigned long long)(weighted % pixels * 1000 / pixels), (unsigned long long)check);
        for (int t = 0; t < 3; t++) printf(" %d:%llu", top[t], (unsigned long long)hist[c][top[t]]);
        printf("\n");
    }

    /* Independent check: bins sum to the pixel count; recount from the generator. */
    int ok = 1;
    for (uint32_t x = 0; x < sz->width; x++)
        for (uint32_t y = 0; y < sz->height; y++) {
            unsigned char rgb[3];
            pixel(x, y, sz->width, sz->height, rgb);
            for (int c = 0; c < 3; c++) ref[c][rgb[c]]++;
        }
    for (int c = 0; c < 3; c++) {
        uint64_t sum = 0;
        for (int v = 0; v < 256; v++) {
            sum += hist[c][v];
            if (hist[c][v] != ref[c][v]) {
                if (ok) printf("mismatch: %s bin %d: %llu, recount %llu\n", names[c], v,
                               (unsigned long long)hist[c][v], (unsigned long long)ref[c][v]);
                ok = 0;
            }
        }
        if (sum != pixels) {
            printf("%s bins sum to %llu, not %llu\n", names[c], (unsigned long long)sum, (unsigned long long)pixels);
            ok = 0;
        }
    }
    free(bmp);
    printf(ok ? "VERIFIED\n" : "VERIFICATION FAILED\n");
    return ok ? 0 : 1;
}

// String literals and string.h: length, compare, copy, search, tokenise, memory ops.
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <stdlib.h>

static const char *text = "The quick brown fox jumps over the lazy dog; the dog sleeps.";

int main(void) {
    printf("len=%zu strchr=%s strrchr=%s\n", strlen(text), strchr(text, 'q'), strrchr(text, 't'));
    printf("strstr=%s\n", strstr(text, "lazy"));
    printf("strcmp: %d %d %d strncmp=%d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"),
           strncmp("prefix-one", "prefix-two", 7));
    printf("spn=%zu cspn=%zu pbrk=%s\n", strspn("aaabbbccc", "ab"), strcspn("hello world", " "), strpbrk(text, "xyz"));
    char buf[128];
    strcpy(buf, "alpha"); strcat(buf, "-beta"); strncat(buf, "-gammadelta", 6);
    printf("built=%s\n", buf);
    char copy[128]; strcpy(copy, text);
    int words = 0; size_t total = 0;
    for (char *tok = strtok(copy, " ;."); tok; tok = strtok(NULL, " ;.")) { words++; total += strlen(tok); }
    printf("strtok words=%d letters=%zu\n", words, total);
    char upper[128]; size_t i;
    for (i = 0; text[i]; i++) upper[i] = (char)toupper((unsigned char)text[i]);
    upper[i] = 0;
    printf("upper=%s\n", upper);
    char mem[64];
    memset(mem, '.', sizeof mem); mem[63] = 0;
    memcpy(mem + 5, "copied", 6);
    memmove(mem + 8, mem + 5, 10); /* overlapping */
    printf("mem=%s\n", mem);
    printf("memcmp=%d memchr=%s\n", memcmp("abcd", "abce", 4) < 0, (char *)memchr(text, 'j', strlen(text)));
    char *dup = strdup("duplicate me"); dup[0] = 'D';
    printf("strdup=%s\n", dup); free(dup);
    const char *lits[] = {"", "a", "tab\there", "quote\"s", "back\\slash", "\x41\102\x43", "nul\0hidden"};
    for (size_t k = 0; k < sizeof lits / sizeof lits[0]; k++) printf("lit[%zu] len=%zu '%s'\n", k, strlen(lits[k]), lits[k]);
    char arr[] = "array-init"; printf("sizeof arr=%zu\n", sizeof arr);
    /* Count letter frequencies. */
    int freq[26] = {0};
    for (const char *p = text; *p; p++) if (isalpha((unsigned char)*p)) freq[tolower((unsigned char)*p) - 'a']++;
    for (int c = 0; c < 26; c++) if (freq[c]) printf("%c%d", 'a' + c, freq[c]);
    printf("\n");
    char rev[128]; size_t n = strlen(text);
    for (size_t k = 0; k < n; k++) rev[k] = text[n - 1 - k];
    rev[n] = 0; printf("rev=%s\n", rev);
    return 0;
}

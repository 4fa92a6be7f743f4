// het: env HET_GREETING=hello from the environment
// het: env HET_NUMBER=4242
// getenv on variables set by the runner (and on a missing one), setenv/unsetenv, and
// walking environ for our own variables (the runner clears the environment first).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *name) {
    const char *v = getenv(name);
    printf("%s=%s\n", name, v ? v : "(unset)");
}

int main(void) {
    show("HET_GREETING");
    show("HET_NUMBER");
    show("HET_SURELY_MISSING");
    long n = strtol(getenv("HET_NUMBER") ? getenv("HET_NUMBER") : "0", NULL, 10);
    printf("number*2=%ld\n", n * 2);
    setenv("HET_NEW", "created", 0);
    setenv("HET_NUMBER", "ignored", 0);  /* overwrite=0 keeps the old value */
    setenv("HET_GREETING", "replaced", 1);
    show("HET_NEW"); show("HET_NUMBER"); show("HET_GREETING");
    unsetenv("HET_NEW");
    show("HET_NEW");
    int ours = 0;
    for (char **e = environ; *e; e++) if (strncmp(*e, "HET_", 4) == 0) ours++;
    printf("HET_ variables in environ: %d\n", ours);
    return 0;
}

/* The program's own SIGUSR2 next to migration requests (SIGUSR2 queued with the
 * runtime's value): the program installs a handler, raises SIGUSR2 itself in a loop with
 * migration points, replaces the handler with an SA_SIGINFO one, then ignores the signal.
 * Every one of its own signals must reach its disposition, on every ISA and after every
 * migration, and the handler it reads back must be its own. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t plain_count, info_count, last_code;

static void plain(int sig) {
    if (sig == SIGUSR2) {
        plain_count++;
    }
}

static void with_info(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (sig == SIGUSR2) {
        info_count++;
        last_code = info->si_code;
    }
}

int main(void) {
    signal(SIGUSR2, plain);
    unsigned long mix = 7;
    for (int i = 0; i < 3000; i++) {
        mix = mix * 2862933555777941757ul + (unsigned long)i;
        if (i % 100 == 0) {
            raise(SIGUSR2);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO;
    struct sigaction old;
    sigaction(SIGUSR2, &sa, &old);
    printf("old handler is the program's: %d\n", old.sa_handler == plain);
    for (int i = 0; i < 3000; i++) {
        mix = mix * 2862933555777941757ul + (unsigned long)i;
        if (i % 150 == 0) {
            raise(SIGUSR2);
        }
    }
    signal(SIGUSR2, SIG_IGN);
    for (int i = 0; i < 2000; i++) {
        mix = mix * 2862933555777941757ul + (unsigned long)i;
        if (i % 500 == 0) {
            raise(SIGUSR2);
        }
    }
    sigaction(SIGUSR2, NULL, &old);
    printf("plain %d info %d code is SI_TKILL %d ignored now %d mix %lx\n", (int)plain_count, (int)info_count,
           last_code == SI_TKILL, old.sa_handler == SIG_IGN, mix);
    return plain_count == 30 && info_count == 20 ? 0 : 1;
}

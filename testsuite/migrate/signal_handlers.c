/* Handlers installed before a migration must still run after it: SIGINT through
 * sigaction (with SA_SIGINFO) and SIGUSR1 through signal(), raised after a loop with
 * migration points. Without them the destination would die of the default action. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t interrupts, user1;

static void on_interrupt(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (sig == SIGINT && info->si_signo == SIGINT) interrupts++;
}

static void on_user1(int sig) {
    if (sig == SIGUSR1) user1++;
}

__attribute__((noinline)) static long work(int n) {
    long acc = 1;
    for (int i = 0; i < n; i++) acc = acc * 6364136223846793005L + i;
    return acc;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_interrupt;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGUSR1, on_user1);
    long acc = 0;
    for (int round = 0; round < 20; round++) {
        acc ^= work(50 + round);
        raise(SIGINT);
        raise(SIGUSR1);
    }
    printf("acc %ld interrupts %d user1 %d\n", acc, (int)interrupts, (int)user1);
    return 0;
}

// Signals: sigaction handlers invoked through raise() and kill(getpid()), a blocked
// signal delivered on unblock, and SIGALRM-free determinism (no timers).
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hits[65];
static volatile sig_atomic_t order[16], norder;

static void handler(int sig) { hits[sig]++; if (norder < 16) order[norder++] = sig; }
static void info_handler(int sig, siginfo_t *si, void *uc) { (void)uc; hits[sig] += si->si_signo == sig ? 10 : 1000; if (norder < 16) order[norder++] = sig; }

int main(void) {
    struct sigaction sa; memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler; sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    struct sigaction si; memset(&si, 0, sizeof si);
    si.sa_sigaction = info_handler; si.sa_flags = SA_SIGINFO; sigemptyset(&si.sa_mask);
    sigaction(SIGTERM, &si, NULL);
    raise(SIGUSR1); raise(SIGUSR2); raise(SIGUSR1);
    kill(getpid(), SIGTERM);
    sigset_t set, old; sigemptyset(&set); sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR2);
    printf("while blocked: usr2 hits=%d\n", (int)hits[SIGUSR2]);
    sigset_t pend; sigpending(&pend);
    printf("sigismember(pending, SIGUSR2)=%d\n", sigismember(&pend, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("hits: usr1=%d usr2=%d term=%d\n", (int)hits[SIGUSR1], (int)hits[SIGUSR2], (int)hits[SIGTERM]);
    printf("order:"); for (int i = 0; i < norder; i++) printf(" %s", order[i] == SIGUSR1 ? "USR1" : order[i] == SIGUSR2 ? "USR2" : order[i] == SIGTERM ? "TERM" : "?");
    printf("\n");
    signal(SIGUSR1, SIG_IGN); raise(SIGUSR1);
    printf("ignored: usr1=%d\n", (int)hits[SIGUSR1]);
    return 0;
}

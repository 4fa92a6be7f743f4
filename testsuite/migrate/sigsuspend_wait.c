/* A program that waits for its own signal in sigsuspend() (as lbzip2 waits for its
 * threads' SIGUSR1/SIGUSR2) while a migration is requested: the request must not wake
 * it. `het` asks by writing the runtime's flag, not with a signal, so sigsuspend only
 * returns for the program's SIGALRM; the migration happens at the next point after. */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static long work(long n)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += (i * 2654435761u) % 1009;
    return s;
}

int main(void)
{
    struct sigaction action = { 0 };
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, 0);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, 0);
    sigemptyset(&empty);
    for (int round = 0; round < 3; round++) {
        struct itimerval timer = { { 0, 0 }, { 0, 300000 } };
        setitimer(ITIMER_REAL, &timer, 0);
        int before = alarms;
        sigsuspend(&empty);
        printf("round %d: %s\n", round, alarms == before + 1 ? "woken by SIGALRM" : "woken by something else");
        fflush(stdout);
        printf("work %ld\n", work(20000000));
    }
    return 0;
}

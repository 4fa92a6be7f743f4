// libc variadic functions without a v variant, called through pointers: ioctl reads its
// argument from the first slot, execl/execle/execlp rebuild their NULL-terminated
// argument lists (and execle's environment) from the slots.
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*exec_list)(const char *, const char *, ...);

static exec_list execs[3];

int main(void) {
    int (*control)(int, int, ...) = ioctl;
    execs[0] = execl;
    execs[1] = execle;
    execs[2] = execlp;
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    long total = 0;
    for (int round = 1; round <= 4; round++) {
        char chunk[8] = "abcdefg";
        if (write(fds[1], chunk, (size_t)round) != round)
            return 1;
        int pending = -1;
        control(fds[0], FIONREAD, &pending);
        total += pending;
        printf("round %d: FIONREAD %d\n", round, pending);
    }
    printf("total %ld\n", total);
    fflush(stdout);
    for (int k = 0; k < 3; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            char *env[] = { "HET_FROM=execle", 0 };
            if (k == 0)
                execs[k]("/bin/echo", "echo", "execl:", "one", "two words", (char *)0);
            else if (k == 1)
                execs[k]("/bin/sh", "sh", "-c", "echo execle: $HET_FROM", (char *)0, env);
            else
                execs[k]("echo", "echo", "execlp:", "found on the default path", (char *)0);
            _exit(99);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        printf("child %d exited %d\n", k, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        fflush(stdout);
    }
    return 0;
}

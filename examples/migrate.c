/* The demo's migrating program: 60 rounds of a numerical integration and a prime
 * sieve. Results go to stdout (compared with a run that never migrates). stderr says
 * which machine each stretch of rounds ran on (uname; qemu-user reports the emulated
 * machine), so the hops between ISAs are visible. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define ROUNDS 60

static double integrate(int round, long steps) {
    double sum = 0.0, h = 1.0 / (double)steps;
    for (long i = 0; i < steps; i++) {
        double x = (i + 0.5) * h;
        sum += sin(x * (round + 1)) * exp(-x) * h;
    }
    return sum;
}

static long count_primes(char *sieve, long n) {
    memset(sieve, 1, (size_t)n);
    long count = 0;
    for (long i = 2; i < n; i++) {
        if (!sieve[i]) continue;
        count++;
        for (long j = i * i; j < n; j += i) sieve[j] = 0;
    }
    return count;
}

int main(void) {
    long n = 200000;
    char *sieve = malloc((size_t)n + ROUNDS * 1000);
    if (!sieve) return 1;
    char machine[65] = "";
    int first = 0;
    double total = 0.0;
    for (int round = 0; round < ROUNDS; round++) {
        double area = integrate(round, 200000);
        long primes = count_primes(sieve, n + round * 1000);
        total += area;
        if (round % 10 == 9) printf("round %2d: integral %.12f, primes below %ld: %ld\n", round, area, n + round * 1000, primes);
        struct utsname u;
        uname(&u);
        if (strcmp(u.machine, machine) != 0 || round == ROUNDS - 1) {
            if (machine[0]) fprintf(stderr, "   rounds %2d-%2d ran on %s\n", first, round - 1, machine);
            if (round == ROUNDS - 1) fprintf(stderr, "   round  %2d   ran on %s\n", round, u.machine);
            strcpy(machine, u.machine);
            first = round;
        }
    }
    printf("sum of integrals %.12f\n", total);
    free(sieve);
    return 0;
}

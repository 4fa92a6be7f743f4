/* The bundled hetcc example: the same program on x86-64, aarch64 and riscv64.
 * Its output is identical on every ISA — including the addresses it prints, because
 * hetcc gives every function, global and thread-local variable one address/offset. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *greeting = "hello from hetcc";
int counter = 42;
_Thread_local long per_thread = 7;
static double table[64];

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
	for (int i = 0; i < 64; i++)
		table[i] = sin(i * 0.7) * exp(i / 32.0);
	qsort(table, 64, sizeof table[0], compare);
	double sum = 0;
	for (int i = 0; i < 64; i++)
		sum += table[i];
	char *copy = malloc(64);
	snprintf(copy, 64, "%s (%zu bytes)", greeting, strlen(greeting));
	printf("%s\n", copy);
	printf("fib(30) = %lu, sorted sum = %.17g, min = %.17g\n", fib(30), sum, table[0]);
	printf("&main      = %p\n", (void *)main);
	printf("&compare   = %p\n", (void *)compare);
	printf("&counter   = %p\n", (void *)&counter);
	printf("&table     = %p\n", (void *)table);
	printf("greeting   = %p\n", (void *)greeting);
	printf("&printf    = %p\n", (void *)printf);
	per_thread += counter;
	printf("per_thread = %ld\n", per_thread);
	free(copy);
	return 0;
}

/* A deterministic libtommath workload for the real-world suite: factorials, modular
 * exponentiation and primality tests, printed as it goes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tommath.h>

static void check(mp_err err, const char *what)
{
   if (err != MP_OKAY) {
      fprintf(stderr, "%s: %s\n", what, mp_error_to_string(err));
      exit(1);
   }
}

static void print_summary(const char *label, const mp_int *a)
{
   static char digits[200000];
   size_t written = 0, len;
   unsigned long sum = 0;
   check(mp_to_radix(a, digits, sizeof digits, &written, 10), "mp_to_radix");
   len = strlen(digits);
   for (size_t i = 0; i < len; i++) sum = sum * 31u + (unsigned char)digits[i];
   printf("%s: %zu digits, head %.20s, tail %s, hash %lu\n", label, len, digits,
          len > 20 ? digits + len - 20 : digits, sum);
}

int main(void)
{
   mp_int f, b, e, m, r;
   check(mp_init_multi(&f, &b, &e, &m, &r, NULL), "init");
   mp_set(&f, 1u);
   for (unsigned n = 2; n <= 12000; n++) {
      check(mp_mul_d(&f, n, &f), "mul_d");
      if (n % 3000 == 0) {
         char label[32];
         snprintf(label, sizeof label, "%u!", n);
         print_summary(label, &f);
      }
   }
   /* m = 2^1279 - 1, a Mersenne prime. */
   check(mp_2expt(&m, 1279), "2expt");
   check(mp_sub_d(&m, 1u, &m), "sub_d");
   for (unsigned i = 0; i < 12; i++) {
      mp_set(&b, 3u + i);
      check(mp_add_d(&f, i, &e), "add_d");
      check(mp_exptmod(&b, &e, &m, &r), "exptmod");
      char label[32];
      snprintf(label, sizeof label, "(%u^(12000!+%u)) mod M1279", 3u + i, i);
      print_summary(label, &r);
   }
   int primes = 0;
   check(mp_2expt(&b, 256), "2expt");
   for (unsigned i = 0; i < 400; i++) {
      mp_bool prime;
      check(mp_add_d(&b, 2u * i + 1u, &r), "add_d");
      check(mp_prime_is_prime(&r, 16, &prime), "is_prime");
      if (prime == MP_YES) {
         primes++;
         printf("2^256+%u is prime\n", 2u * i + 1u);
      }
   }
   printf("%d primes\n", primes);
   mp_clear_multi(&f, &b, &e, &m, &r, NULL);
   return 0;
}

/* Stands in for a program PROG of a hetcc build while its test suite runs on an emulated
 * ISA: runs PROG.<ISA> (next to this file's own path) under qemu-<ISA> with the same
 * argv[0], so that messages which name the program read as they do natively. A shell
 * script cannot do that: the kernel hands a script its own path, not the caller's
 * argv[0]. Built for the build machine by scripts/realworld.sh with -DISA="aarch64". */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
   char self[PATH_MAX], target[PATH_MAX + 16];
   ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
   if (n < 0) {
      perror("qemu-wrap: /proc/self/exe");
      return 127;
   }
   self[n] = '\0';
   snprintf(target, sizeof target, "%s.%s", self, ISA);
   char **args = calloc((size_t)argc + 5, sizeof *args);
   if (!args) return 127;
   args[0] = "qemu-" ISA;
   args[1] = "-0";
   args[2] = argv[0];
   args[3] = target;
   for (int i = 1; i < argc; i++) args[i + 3] = argv[i];
   execvp(args[0], args);
   fprintf(stderr, "qemu-wrap: cannot run qemu-%s for %s: %s\n", ISA, target, strerror(errno));
   return 127;
}

/* SPDX-License-Identifier: MIT */
/*
 * The cost of a cheap system call: getppid(2), N times in a tight loop,
 * made with syscall(2) so that no C library caches or wraps it. Prints
 * "ns_per_call=X" (wall clock, the mean over the loop) and "calls=N".
 * Linked statically by tests/bench/seccomp-cost.sh, so that it runs the
 * same on the host and in any sandbox root. Also "cpu_ns_per_call", from
 * the process's CPU clock, which a CPU quota does not stretch.
 *
 *   syscall-loop [N]      (N: 5000000 by default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WARM_UP 100000L

static double
now_ns (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static void
loop (long n)
{
  long i;

  for (i = 0; i < n; i++)
    syscall (SYS_getppid);
}

int
main (int argc, char **argv)
{
  long n = argc > 1 ? atol (argv[1]) : 5000000L;
  double start, cpu_start;

  if (n <= 0)
    {
      fputs ("usage: syscall-loop [N]\n", stderr);
      return 2;
    }

  /* Caches and branch predictors, warmed before the clock starts. */
  loop (WARM_UP);

  start = now_ns (CLOCK_MONOTONIC);
  cpu_start = now_ns (CLOCK_PROCESS_CPUTIME_ID);
  loop (n);
  printf ("cpu_ns_per_call=%.2f\n",
          (now_ns (CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / (double) n);
  printf ("ns_per_call=%.2f\ncalls=%ld\n",
          (now_ns (CLOCK_MONOTONIC) - start) / (double) n, n);
  return 0;
}

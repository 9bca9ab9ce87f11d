/* SPDX-License-Identifier: MIT */
#include "supervise.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>

struct stop
{
  bool asked;
  struct timespec deadline; /* CLOCK_MONOTONIC */
};

static struct timespec
now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return t;
}

/* The time left until the deadline, never negative. */
static struct timespec
time_left (const struct timespec *deadline)
{
  struct timespec t = now ();
  struct timespec left = { 0, 0 };

  if (t.tv_sec > deadline->tv_sec
      || (t.tv_sec == deadline->tv_sec && t.tv_nsec >= deadline->tv_nsec))
    return left;

  left.tv_sec = deadline->tv_sec - t.tv_sec;
  left.tv_nsec = deadline->tv_nsec - t.tv_nsec;
  if (left.tv_nsec < 0)
    {
      left.tv_sec--;
      left.tv_nsec += 1000000000L;
    }
  return left;
}

static void
start_grace_period (struct stop *stop, unsigned int seconds)
{
  if (stop->asked)
    return;

  stop->asked = true;
  stop->deadline = now ();
  stop->deadline.tv_sec += seconds;
}

/* Returns the signal taken, 0 when the grace period ran out. */
static int
next_signal (const sigset_t *waited, const struct stop *stop, siginfo_t *info)
{
  struct timespec left;
  int sig;

  for (;;)
    {
      if (!stop->asked)
        sig = sigwaitinfo (waited, info);
      else
        {
          left = time_left (&stop->deadline);
          sig = sigtimedwait (waited, info, &left);
        }

      if (sig > 0)
        return sig;
      if (errno == EAGAIN)
        return 0;
    }
}

/* Reaps every exited child; returns true once child is among them. */
static bool
reap (pid_t child, int *status)
{
  int st;
  pid_t pid;

  while ((pid = waitpid (-1, &st, WNOHANG)) > 0)
    if (pid == child)
      {
        *status = st;
        return true;
      }
  return false;
}

int
cdb_supervise (pid_t child, const sigset_t *waited, unsigned int stop_timeout)
{
  struct stop stop = { .asked = false };
  siginfo_t info;
  int status;
  int sig;

  for (;;)
    {
      sig = next_signal (waited, &stop, &info);

      if (sig == 0)
        {
          /* The grace period is over. */
          kill (child, SIGKILL);
          stop.deadline.tv_sec += 3600;
        }
      else if (sig == SIGCHLD)
        {
          if (reap (child, &status))
            return status;
        }
      else
        {
          kill (child, sig);
          if (sig == SIGTERM || sig == SIGINT)
            start_grace_period (&stop, stop_timeout);
        }
    }
}

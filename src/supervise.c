/* SPDX-License-Identifier: MIT */
#include "supervise.h"

#include <errno.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

#define RELAYS_MAX 2

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

/* Milliseconds until the deadline, for poll(2): -1 when there is none,
   0 once it has passed. */
static int
poll_timeout (const struct stop *stop)
{
  struct timespec t = now ();
  long long ms;

  if (!stop->asked)
    return -1;

  ms = (stop->deadline.tv_sec - t.tv_sec) * 1000LL
       + (stop->deadline.tv_nsec - t.tv_nsec) / 1000000;
  return ms < 0 ? 0 : (int) ms;
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

static bool
write_all (int fd, const char *buf, size_t len)
{
  ssize_t n;

  while (len > 0)
    {
      n = write (fd, buf, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      buf += n;
      len -= (size_t) n;
    }
  return true;
}

/* Copies what the pipe holds now; closes it at its end, or when the
   terminal is gone (the service then gets EPIPE, as on a closed pipe). */
static void
relay_once (struct cdb_relay *r)
{
  char buf[16384];
  ssize_t n;

  do
    n = read (r->from, buf, sizeof buf);
  while (n < 0 && errno == EINTR);

  if (n > 0 && write_all (r->to, buf, (size_t) n))
    return;

  close (r->from);
  r->from = -1;
}

/* After the child's end nothing can write to the pipes any more: every
   process of the sandbox is gone. Whatever they left is copied out. */
static void
drain (struct cdb_relay *relays, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    while (relays[i].from >= 0)
      relay_once (&relays[i]);
}

/* Handles one signal; returns true once child has ended. */
static bool
handle_signal (pid_t child, int sig, unsigned int stop_timeout,
               struct stop *stop, int *status)
{
  if (sig == SIGCHLD)
    return reap (child, status);

  kill (child, sig);
  if (sig == SIGTERM || sig == SIGINT)
    start_grace_period (stop, stop_timeout);
  return false;
}

static bool
take_signals (int sfd, pid_t child, unsigned int stop_timeout,
              struct stop *stop, int *status)
{
  struct signalfd_siginfo info;
  bool ended = false;

  while (read (sfd, &info, sizeof info) == (ssize_t) sizeof info)
    if (handle_signal (child, (int) info.ssi_signo, stop_timeout, stop, status))
      ended = true;
  return ended;
}

int
cdb_supervise (pid_t child, const sigset_t *waited, unsigned int stop_timeout,
               struct cdb_relay *relays, size_t n_relays,
               struct cdb_outcome *outcome)
{
  _cleanup_close_ int sfd = -1;
  struct pollfd fds[1 + RELAYS_MAX];
  struct stop stop = { .asked = false };
  size_t i, n;

  outcome->killed_late = false;
  sfd = signalfd (-1, waited, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    {
      kill (child, SIGKILL);
      waitpid (child, &outcome->status, 0);
      return -1;
    }

  for (;;)
    {
      fds[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
      for (i = 0, n = 1; i < n_relays && i < RELAYS_MAX; i++)
        fds[n++] = (struct pollfd){ .fd = relays[i].from, .events = POLLIN };

      if (poll (fds, n, poll_timeout (&stop)) == 0)
        {
          /* The grace period is over. */
          kill (child, SIGKILL);
          outcome->killed_late = true;
          stop.asked = false;
          continue;
        }

      for (i = 1; i < n; i++)
        if (fds[i].fd >= 0 && fds[i].revents != 0)
          relay_once (&relays[i - 1]);

      if (fds[0].revents != 0
          && take_signals (sfd, child, stop_timeout, &stop, &outcome->status))
        break;
    }

  drain (relays, n_relays);
  return 0;
}

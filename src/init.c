/* SPDX-License-Identifier: MIT */
/*
 * PID 1 of the sandbox.
 *
 * The kernel gives PID 1 of a namespace two duties: orphans are reparented
 * to it, so it must reap them, and it receives no signal it has not asked
 * for, so it must pass on the ones meant for the service. When it exits,
 * the kernel kills every process left in the namespace: the end of the
 * service is the end of the sandbox.
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"

/* Every signal that can be caught is passed on, but SIGCHLD, which is
   the supervisor's own, and those the kernel raises for a fault of the
   receiving process itself. */
static bool
is_forwarded (int sig)
{
  switch (sig)
    {
    case SIGKILL:
    case SIGSTOP:
    case SIGCHLD:
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
    case SIGTRAP:
    case SIGSYS:
      return false;
    default:
      return true;
    }
}

void
cdb_forwarded_signals (sigset_t *set)
{
  int sig;

  sigemptyset (set);
  for (sig = 1; sig < NSIG; sig++)
    if (is_forwarded (sig))
      sigaddset (set, sig);
}

int
cdb_exit_status (int wait_status)
{
  if (WIFSIGNALED (wait_status))
    return 128 + WTERMSIG (wait_status);
  return WEXITSTATUS (wait_status);
}

_Noreturn void
cdb_report_exit (int fd, int status, const char *msg)
{
  struct cdb_report report = { .status = status };
  ssize_t ignored;

  snprintf (report.msg, sizeof report.msg, "%s", msg);
  ignored = write (fd, &report, sizeof report);
  (void) ignored;
  _exit (status);
}

/* The service starts with the signal state of a fresh process: nothing
   blocked, nothing ignored that cdb-run's caller chose to ignore. */
static void
reset_signals (void)
{
  sigset_t none;
  int sig;

  for (sig = 1; sig < NSIG; sig++)
    signal (sig, SIG_DFL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* The descriptors handed over (--preserve-fds, socket activation) stay
   open across exec, whatever their flags were. */
static void
keep_descriptors (unsigned int n)
{
  unsigned int fd;

  for (fd = 3; fd < 3 + n; fd++)
    fcntl ((int) fd, F_SETFD, 0);
}

/* Closes every descriptor from first on: now, or when the process execs.
   close_range(2) does it in one call; where it fails (a kernel before
   5.9, or 5.11 for the close-on-exec form), each descriptor up to the
   limit is handled in turn. */
static void
close_from (unsigned int first, bool at_exec)
{
  long max = sysconf (_SC_OPEN_MAX);
  unsigned int fd;

  if (close_range (first, ~0U, at_exec ? CLOSE_RANGE_CLOEXEC : 0) == 0)
    return;

  for (fd = first; max > 0 && fd < (unsigned long) max; fd++)
    {
      if (at_exec)
        fcntl ((int) fd, F_SETFD, FD_CLOEXEC);
      else
        close ((int) fd);
    }
}

/* The value of PATH in env, or the default of the C library's. */
static const char *
path_of (char *const *env)
{
  for (; *env != NULL; env++)
    if (strncmp (*env, "PATH=", 5) == 0)
      return *env + 5;
  return "/usr/local/bin:/usr/bin:/bin";
}

/* execvp(3) with the environment given, and without its last resort of
   running a file the kernel cannot execute through /bin/sh: such a file
   fails with ENOEXEC here, so a broken program is reported as one.
   Returns only on failure, with errno set. */
static void
exec_program (char *const *args, char *const *env)
{
  const char *dirs = path_of (env);
  char path[PATH_MAX];
  bool denied = false;
  size_t len;

  if (strchr (args[0], '/') != NULL)
    {
      execve (args[0], args, env);
      return;
    }

  while (*dirs != '\0')
    {
      /* An empty entry means the working directory. */
      len = strcspn (dirs, ":");
      if (snprintf (path, sizeof path, "%.*s/%s", len ? (int) len : 1,
                    len ? dirs : ".", args[0])
          >= (int) sizeof path)
        break;

      execve (path, args, env);
      if (errno == EACCES)
        denied = true;
      else if (errno != ENOENT && errno != ENOTDIR)
        return;

      dirs += len;
      if (*dirs == ':')
        dirs++;
    }

  errno = denied ? EACCES : ENOENT;
}

static _Noreturn void
exec_service (const struct cdb_plan *plan, const struct cdb_filters *filters,
              int report_fd)
{
  struct cdb_error err = { 0 };

  reset_signals ();
  keep_descriptors (plan->keep_fds);

  /* Everything else closes at exec, the report channel included: its
     closing tells cdb-run that exec succeeded. */
  close_from (3 + plan->keep_fds, true);

  if (cdb_seccomp_install_profile (filters, &err) < 0)
    cdb_report_exit (report_fd, 125, err.msg);

  exec_program (plan->args, plan->env);

  cdb_fail (&err, errno, "exec: %s ($.process.args[0])", plan->args[0]);
  cdb_report_exit (report_fd, err.errnum == ENOENT ? 127 : 126, err.msg);
}

static _Noreturn void
finish (int service_status)
{
  _exit (cdb_exit_status (service_status));
}

/* Reaps every exited child; returns when none is left to reap now. */
static void
reap (pid_t service)
{
  int status;
  pid_t pid;

  while ((pid = waitpid (-1, &status, WNOHANG)) > 0)
    if (pid == service)
      finish (status);
}

/* A stopped service would not act on a request to end until continued;
   it gets SIGCONT after it, as the kill(1) of a stopped job would. */
static void
pass_on (pid_t service, int sig)
{
  kill (service, sig);
  if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT)
    kill (service, SIGCONT);
}

static void
ignore_signal (int sig)
{
  (void) sig;
}

/* The signals stay blocked and are taken with sigwaitinfo(2); a handler
   is installed too, because the kernel drops a signal sent to PID 1 whose
   disposition is the default. */
static void
prepare_signals (sigset_t *waited)
{
  struct sigaction sa = { .sa_handler = ignore_signal };
  int sig;

  cdb_forwarded_signals (waited);
  for (sig = 1; sig < NSIG; sig++)
    if (sigismember (waited, sig))
      sigaction (sig, &sa, NULL);

  sigaddset (waited, SIGCHLD);
  sigprocmask (SIG_BLOCK, waited, NULL);
}

_Noreturn void
cdb_init_run (const struct cdb_plan *plan, const struct cdb_filters *filters,
              int report_fd)
{
  sigset_t waited;
  siginfo_t info;
  pid_t service;
  char msg[CDB_ERROR_MAX];

  prepare_signals (&waited);

  /* Set before the fork, so the service never sees an init it could
     ptrace or whose memory it could read: both run as the same user. The
     service's exec gives it back a name and dumpability of its own. */
  prctl (PR_SET_NAME, "cdb-init", 0, 0, 0);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);

  service = fork ();
  if (service < 0)
    {
      snprintf (msg, sizeof msg, "init: fork the service: %s",
                strerror (errno));
      cdb_report_exit (report_fd, 125, msg);
    }
  if (service == 0)
    exec_service (plan, filters, report_fd);

  /* Init needs no descriptor but the standard ones; the report channel
     above all must close, or cdb-run would wait on it. */
  close_from (3, false);

  for (;;)
    {
      if (sigwaitinfo (&waited, &info) < 0)
        continue;
      if (info.si_signo == SIGCHLD)
        reap (service);
      else
        pass_on (service, info.si_signo);
    }
}

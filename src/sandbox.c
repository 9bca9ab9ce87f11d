/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's life: clone into new namespaces, map ids, let the child
 * build the sandbox, then supervise it.
 *
 * The parent makes the cgroup and compiles the seccomp filters first.
 * The child does the rest in the order the kernel forces, each step
 * ensured or the start fails:
 *
 *   cgroup ns     made only once the parent has moved the child into its
 *                 cgroup, so that cgroup is the namespace's root;
 *   mounts        needs every capability, and the new PID namespace for
 *                 /proc;
 *   hostname      needs CAP_SYS_ADMIN in the UTS namespace;
 *   rlimits       hard limits can only be raised while privileged;
 *   credentials   keyring, groups, gid, uid, capabilities, no_new_privs;
 *   working dir   entered as the service's user, so access is checked;
 *   seccomp       last, since the filters forbid calls the steps above
 *                 make (mount, setns, and so on);
 *   verification  reads back every measure; nothing runs if one fails;
 *   init          forks the service and stays as its PID 1.
 *
 * Two pipes connect parent and child. The sync pipe carries one byte,
 * "go", once the parent has written the id maps and moved the child into
 * its cgroup; the parent then keeps it
 * open, so the child can tell whether its parent is still alive. The
 * report pipe carries a struct cdb_report when the child fails; it closes
 * empty when the service has been executed.
 */
#include "sandbox.h"

#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "cgroup.h"
#include "creds.h"
#include "filter.h"
#include "init.h"
#include "mounts.h"
#include "process.h"
#include "supervise.h"
#include "verify.h"

struct channels
{
  int sync_read;
  int sync_write;
  int report_read;
  int report_write;
};

/* A terminal on stdout or stderr reaches the service only through a pipe
   whose other end cdb-run copies to the terminal. Handed over itself, the
   terminal would be the service's to read (reopened through
   /proc/self/fd when the service's uid owns it, as it does for an
   ordinary caller) and to reconfigure with ioctls; in its own session,
   the service is beyond the job control that keeps a background job from
   reading. */
struct terminal_pipe
{
  int fd;        /* 1 or 2 */
  int write_end; /* the service's */
};

/* What the parent makes for one sandbox, and undoes when it ends. */
struct launch
{
  const struct cdb_plan *plan;
  struct cdb_filters filters;
  struct cdb_cgroup cgroup;
  struct channels ch;
  struct terminal_pipe pipes[2];
  struct cdb_relay relays[2];
  size_t n_pipes;
  sigset_t waited;
  sigset_t saved;
};

/* Root needs no user namespace, and in one it would have no mapped uid
   of its own to build the sandbox with; it is made for callers without
   privileges, who need it. */
static bool
wants_user_namespace (void)
{
  return geteuid () != 0;
}

static int
check_user_namespace (const struct cdb_plan *plan, struct cdb_error *err)
{
  if ((plan->namespaces & CDB_NS_USER) && geteuid () == 0)
    return cdb_fail (err, 0,
                     "namespaces: a user namespace is made only for callers "
                     "without privileges; as root, leave it out of "
                     "$.linux.namespaces");
  return 0;
}

static int
clone_flags (const struct cdb_plan *plan)
{
  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;

  if (plan->namespaces & CDB_NS_NETWORK)
    flags |= CLONE_NEWNET;
  if (wants_user_namespace ())
    flags |= CLONE_NEWUSER;
  return flags;
}

/* ------------------------------------------------------------------ */
/* The child                                                           */
/* ------------------------------------------------------------------ */

/* Waits for the parent's "go": the id maps are written. */
static int
await_parent (int sync_read, struct cdb_error *err)
{
  char go;

  if (read (sync_read, &go, 1) != 1)
    return cdb_fail (err, errno, "sync: the parent went away");
  return 0;
}

/* The death signal is cleared by every credential change, so it is set
   again afterwards; if the parent died in between, its end of the sync
   pipe has closed and the child stops here rather than run unsupervised. */
static int
bind_life_to_parent (int sync_read, struct cdb_error *err)
{
  struct pollfd pfd = { .fd = sync_read, .events = POLLIN };

  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
    return cdb_fail (err, errno, "sync: set the parent death signal");

  if (poll (&pfd, 1, 0) != 0)
    return cdb_fail (err, 0, "sync: the parent went away");
  return 0;
}

static int
build_sandbox (const struct cdb_plan *plan, const struct cdb_filters *filters,
               int sync_read, struct cdb_error *err)
{
  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
    return cdb_fail (err, errno, "sync: set the parent death signal");

  if (await_parent (sync_read, err) < 0)
    return -1;

  /* The cgroup namespace is made only now that the parent has moved this
     process into its cgroup, so that cgroup is the namespace's root and
     the service sees nothing above it. */
  if ((plan->namespaces & CDB_NS_CGROUP) && unshare (CLONE_NEWCGROUP) < 0)
    return cdb_fail (err, errno, "namespaces: unshare the cgroup namespace");

  /* A new session: the service has no controlling terminal, so it cannot
     push input into the caller's terminal. */
  if (setsid () < 0)
    return cdb_fail (err, errno, "session: setsid");

  if (cdb_mounts_setup (plan, err) < 0)
    return -1;

  if (cdb_process_set_host (plan, err) < 0)
    return -1;

  if (cdb_process_set_limits (plan, err) < 0)
    return -1;

  if (cdb_creds_drop (plan, err) < 0)
    return -1;

  if (bind_life_to_parent (sync_read, err) < 0)
    return -1;

  if (cdb_process_enter_cwd (plan, err) < 0)
    return -1;

  if (cdb_seccomp_install (filters, err) < 0)
    return -1;

  return cdb_verify (plan, err);
}

/* The pipes take the terminal's place on stdout and stderr; dup2 clears
   close-on-exec on the copies, as standard streams need. */
static int
use_terminal_pipes (const struct launch *l, struct cdb_error *err)
{
  size_t i;

  for (i = 0; i < l->n_pipes; i++)
    if (dup2 (l->pipes[i].write_end, l->pipes[i].fd) < 0)
      return cdb_fail (err, errno, "descriptors: put a pipe on %d",
                       l->pipes[i].fd);
  return 0;
}

static _Noreturn void
run_child (const struct launch *l, struct channels *ch)
{
  const struct cdb_plan *plan = l->plan;
  const struct cdb_filters *filters = &l->filters;
  struct cdb_error err = { 0 };

  close (ch->sync_write);
  close (ch->report_read);

  if (use_terminal_pipes (l, &err) < 0)
    cdb_report_exit (ch->report_write, 125, err.msg);

  if (build_sandbox (plan, filters, ch->sync_read, &err) < 0)
    cdb_report_exit (ch->report_write, 125, err.msg);

  close (ch->sync_read);
  cdb_init_run (plan, filters, ch->report_write);
}

/* ------------------------------------------------------------------ */
/* The parent                                                          */
/* ------------------------------------------------------------------ */

static int
write_file (pid_t pid, const char *name, const char *text,
            struct cdb_error *err)
{
  char path[64];
  _cleanup_close_ int fd = -1;
  size_t len = strlen (text);

  snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, name);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return cdb_fail (err, errno, "user namespace: open %s", path);

  if (write (fd, text, len) != (ssize_t) len)
    return cdb_fail (err, errno, "user namespace: write %s", path);
  return 0;
}

/* The service's uid and gid inside map to the caller's outside, and
   nothing else is mapped: not even root exists in the namespace. A caller
   without privileges must deny setgroups(2) before it may map a gid. */
static int
write_id_maps (const struct cdb_plan *plan, pid_t pid, struct cdb_error *err)
{
  char map[64];

  if (write_file (pid, "setgroups", "deny", err) < 0)
    return -1;

  snprintf (map, sizeof map, "%u %u 1\n", (unsigned) plan->uid,
            (unsigned) geteuid ());
  if (write_file (pid, "uid_map", map, err) < 0)
    return -1;

  snprintf (map, sizeof map, "%u %u 1\n", (unsigned) plan->gid,
            (unsigned) getegid ());
  return write_file (pid, "gid_map", map, err);
}

/* The child is released once everything the parent does for it is done:
   its ids are mapped and it is in its cgroup, so nothing of the sandbox
   ever runs outside the limits. */
static int
release_child (struct launch *l, pid_t pid, int sync_write,
               struct cdb_error *err)
{
  if (wants_user_namespace () && write_id_maps (l->plan, pid, err) < 0)
    return -1;

  if (cdb_cgroup_enter (&l->cgroup, pid, err) < 0)
    return -1;

  if (write (sync_write, "g", 1) != 1)
    return cdb_fail (err, errno, "sync: release the child");
  return 0;
}

/* Blocks until the child reports a failure or the service is executed.
   Returns 1 when a report arrived. */
static int
read_report (int report_read, struct cdb_report *report)
{
  ssize_t len;

  do
    len = read (report_read, report, sizeof *report);
  while (len < 0 && errno == EINTR);

  if (len != (ssize_t) sizeof *report)
    return 0;
  report->msg[sizeof report->msg - 1] = '\0';
  return 1;
}

static void
kill_child (pid_t child)
{
  kill (child, SIGKILL);
  while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
    ;
}

static int
open_channels (struct channels *ch, struct cdb_error *err)
{
  int sync_fds[2];
  int report_fds[2];

  if (pipe2 (sync_fds, O_CLOEXEC) < 0)
    return cdb_fail (err, errno, "sync: pipe");

  if (pipe2 (report_fds, O_CLOEXEC) < 0)
    {
      close (sync_fds[0]);
      close (sync_fds[1]);
      return cdb_fail (err, errno, "sync: pipe");
    }

  ch->sync_read = sync_fds[0];
  ch->sync_write = sync_fds[1];
  ch->report_read = report_fds[0];
  ch->report_write = report_fds[1];
  return 0;
}

static void
close_channels (struct channels *ch)
{
  int *fds[] = { &ch->sync_read, &ch->sync_write, &ch->report_read,
                 &ch->report_write };
  size_t i;

  for (i = 0; i < sizeof fds / sizeof fds[0]; i++)
    if (*fds[i] >= 0)
      {
        close (*fds[i]);
        *fds[i] = -1;
      }
}

static void
close_terminal_write_ends (struct launch *l)
{
  size_t i;

  for (i = 0; i < l->n_pipes; i++)
    if (l->pipes[i].write_end >= 0)
      {
        close (l->pipes[i].write_end);
        l->pipes[i].write_end = -1;
      }
}

static void
close_terminal_pipes (struct launch *l)
{
  size_t i;

  close_terminal_write_ends (l);
  for (i = 0; i < l->n_pipes; i++)
    if (l->relays[i].from >= 0)
      close (l->relays[i].from);
  l->n_pipes = 0;
}

static int
open_terminal_pipes (struct launch *l, struct cdb_error *err)
{
  int fd, p[2];

  for (fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
    {
      if (!isatty (fd))
        continue;

      if (pipe2 (p, O_CLOEXEC) < 0)
        {
          close_terminal_pipes (l);
          return cdb_fail (err, errno, "descriptors: pipe for %d", fd);
        }

      l->pipes[l->n_pipes] = (struct terminal_pipe){ fd, p[1] };
      l->relays[l->n_pipes] = (struct cdb_relay){ p[0], fd };
      l->n_pipes++;
    }
  return 0;
}

/* A death by SIGKILL is the out-of-memory killer's when the cgroup
   counted a kill; that deserves a line of its own, since the service
   could not say it. */
static void
explain_oom (const struct launch *l, const struct cdb_outcome *outcome,
             int exit_status, struct cdb_error *err)
{
  uint64_t peak;

  if (exit_status != 128 + SIGKILL || outcome->killed_late
      || !cdb_cgroup_oom_killed (&l->cgroup, &peak))
    return;

  cdb_fail (err, 0,
            "oom: the service was killed for exceeding its memory limit "
            "of %" PRId64 " MiB (peak %" PRIu64 " MiB) "
            "($.linux.resources.memory.limit)",
            l->plan->resources.memory_limit >> 20, peak >> 20);
}

static int
run_parent (struct launch *l, pid_t child, int *exit_status,
            struct cdb_error *err)
{
  _cleanup_close_ int sync_write = take_fd (&l->ch.sync_write);
  _cleanup_close_ int report_read = take_fd (&l->ch.report_read);
  struct cdb_report report;
  struct cdb_outcome outcome;

  close_channels (&l->ch);
  close_terminal_write_ends (l);

  if (release_child (l, child, sync_write, err) < 0)
    {
      kill_child (child);
      return -1;
    }

  if (read_report (report_read, &report))
    cdb_fail (err, 0, "%s", report.msg);

  if (cdb_supervise (child, &l->waited, l->plan->stop_timeout, l->relays,
                     l->n_pipes, &outcome)
      < 0)
    return cdb_fail (err, errno, "supervise: signalfd");
  *exit_status = cdb_exit_status (outcome.status);

  /* Setup failures exit 125 with a report; the service's own exit 125
     comes without one. */
  if (err->msg[0] != '\0' && *exit_status == 125)
    return -1;

  explain_oom (l, &outcome, *exit_status, err);
  return 0;
}

/* Everything made before the clone, undone in reverse order. */
static void
end_launch (struct launch *l)
{
  close_terminal_pipes (l);
  close_channels (&l->ch);
  sigprocmask (SIG_SETMASK, &l->saved, NULL);
  cdb_cgroup_destroy (&l->cgroup);
  cdb_seccomp_release (&l->filters);
}

/* Makes what the sandbox needs from outside. On failure, everything made
   so far is undone. */
static int
begin_launch (struct launch *l, struct cdb_error *err)
{
  /* Blocked first, so that no signal is lost, nor ends cdb-run with a
     cgroup made and not removed, before the supervisor takes them. */
  cdb_forwarded_signals (&l->waited);
  sigaddset (&l->waited, SIGCHLD);
  sigprocmask (SIG_BLOCK, &l->waited, &l->saved);

  if (cdb_seccomp_prepare (l->plan, &l->filters, err) < 0
      || cdb_cgroup_create (l->plan, &l->cgroup, err) < 0
      || open_channels (&l->ch, err) < 0 || open_terminal_pipes (l, err) < 0)
    {
      end_launch (l);
      return -1;
    }
  return 0;
}

int
cdb_sandbox_run (const struct cdb_plan *plan, int *exit_status,
                 struct cdb_error *err)
{
  struct launch l = { .plan = plan, .ch = { -1, -1, -1, -1 } };
  pid_t child;
  int rc;

  err->msg[0] = '\0';
  if (check_user_namespace (plan, err) < 0 || begin_launch (&l, err) < 0)
    return -1;

  /* A raw clone behaves as fork(2), with the new namespaces; the child
     runs on a copy of this stack. */
  child = (pid_t) syscall (SYS_clone, clone_flags (plan) | SIGCHLD, NULL, NULL,
                           NULL, NULL);
  if (child == 0)
    run_child (&l, &l.ch);

  if (child < 0)
    rc = cdb_fail (err, errno, "namespaces: clone");
  else
    rc = run_parent (&l, child, exit_status, err);

  end_launch (&l);
  return rc;
}

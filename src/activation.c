/* SPDX-License-Identifier: MIT */
/*
 * Descriptors the service keeps.
 *
 * By default the service gets stdin, stdout and stderr and nothing else:
 * a descriptor inherited by mistake (a directory of the host, a socket of
 * the caller) is a way out of the sandbox. Two things keep more:
 * --preserve-fds N, as runc has it, and socket activation, where systemd
 * opens the listening sockets and hands them over as descriptors 3 and up,
 * announced by LISTEN_FDS and LISTEN_PID.
 */
#include "activation.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIRST_KEPT_FD 3

/* The number of sockets handed to this process, or 0 when there is no
   activation meant for it: LISTEN_PID guards against variables that were
   inherited from a parent without the sockets. */
static unsigned int
activated_fds (void)
{
  const char *pid = getenv ("LISTEN_PID");
  const char *fds = getenv ("LISTEN_FDS");
  char *end;
  long n;

  if (pid == NULL || fds == NULL)
    return 0;

  if (pid[0] < '0' || pid[0] > '9' || strtol (pid, &end, 10) != getpid ()
      || *end != '\0')
    return 0;

  n = fds[0] >= '0' && fds[0] <= '9' ? strtol (fds, &end, 10) : 0;
  if (n <= 0 || *end != '\0' || n > INT_MAX - FIRST_KEPT_FD)
    return 0;
  return (unsigned int) n;
}

/* Sets name=value in the plan's environment, in place of any entry of
   that name the spec had: the sockets handed over decide it. */
static int
env_add (struct cdb_plan *plan, const char *name, const char *value,
         struct cdb_error *err)
{
  size_t len = strlen (name);
  size_t n = 0;
  char **env;
  char *entry;

  if (asprintf (&entry, "%s=%s", name, value) < 0)
    return cdb_fail (err, ENOMEM, "activation: set %s", name);

  for (; plan->env[n] != NULL; n++)
    if (strncmp (plan->env[n], name, len) == 0 && plan->env[n][len] == '=')
      {
        free (plan->env[n]);
        plan->env[n] = entry;
        return 0;
      }

  env = realloc (plan->env, (n + 2) * sizeof *env);
  if (env == NULL)
    {
      free (entry);
      return cdb_fail (err, ENOMEM, "activation: set %s", name);
    }

  env[n] = entry;
  env[n + 1] = NULL;
  plan->env = env;
  return 0;
}

/* The service is always PID 2 of its namespace: the first process its
   init forks. */
static int
pass_activation_on (struct cdb_plan *plan, unsigned int n,
                    struct cdb_error *err)
{
  const char *names = getenv ("LISTEN_FDNAMES");
  char count[16];

  snprintf (count, sizeof count, "%u", n);
  if (env_add (plan, "LISTEN_FDS", count, err) < 0
      || env_add (plan, "LISTEN_PID", "2", err) < 0)
    return -1;

  if (names != NULL)
    return env_add (plan, "LISTEN_FDNAMES", names, err);
  return 0;
}

/* A kept directory would let the service walk the host's tree from it
   with openat(2) and "..", whatever its root is: refused. */
static int
check_keepable (unsigned int n, struct cdb_error *err)
{
  struct stat st;
  unsigned int fd;

  for (fd = FIRST_KEPT_FD; fd < FIRST_KEPT_FD + n; fd++)
    {
      if (fstat ((int) fd, &st) < 0)
        return cdb_fail (err, errno, "descriptors: keep descriptor %u", fd);

      if (S_ISDIR (st.st_mode))
        return cdb_fail (err, 0,
                         "descriptors: keep descriptor %u: it is a "
                         "directory, which would open the host's "
                         "tree to the service",
                         fd);
    }
  return 0;
}

int
cdb_activation_take (struct cdb_plan *plan, unsigned int preserve_fds,
                     struct cdb_error *err)
{
  unsigned int activated = activated_fds ();

  plan->keep_fds = activated > preserve_fds ? activated : preserve_fds;

  if (check_keepable (plan->keep_fds, err) < 0)
    return -1;

  if (activated > 0)
    return pass_activation_on (plan, activated, err);
  return 0;
}

int
cdb_activation_guard_terminal (struct cdb_error *err)
{
  int fd;

  if (!isatty (STDIN_FILENO))
    return 0;

  fd = open ("/dev/null", O_RDONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return cdb_fail (err, errno, "descriptors: open /dev/null for stdin");

  /* dup2 clears close-on-exec on the copy, as a standard stream needs. */
  if (dup2 (fd, STDIN_FILENO) < 0)
    {
      close (fd);
      return cdb_fail (err, errno, "descriptors: put /dev/null on stdin");
    }
  close (fd);
  return 0;
}

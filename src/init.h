/* SPDX-License-Identifier: MIT */
#ifndef CDB_INIT_H
#define CDB_INIT_H

#include <signal.h>

#include "plan.h"

/* What a child of cdb-run tells its parent before it exits or execs:
   the exit status it will end with and one line saying why. A channel
   that closes with nothing written means the service was executed. */
struct cdb_report
{
  int status;
  char msg[CDB_ERROR_MAX];
};

/* Writes a report and exits with its status. For the code between fork and
   exec, where a half-made sandbox must never go on. */
_Noreturn void cdb_report_exit (int fd, int status, const char *msg);

/* The signals a supervisor passes on to the service. */
void cdb_forwarded_signals (sigset_t *set);

/* 128 + N for a death by signal N, as shells and container engines do. */
int cdb_exit_status (int wait_status);

/* Runs as PID 1 of the sandbox, already without privileges: forks the
   service, passes signals on to it, reaps every child, and exits with the
   service's status. report_fd is the channel to cdb-run outside; the
   service uses it if exec fails. The service installs the spec's seccomp
   profile from filters just before its exec. */
struct cdb_filters;
_Noreturn void cdb_init_run (const struct cdb_plan *plan,
                             const struct cdb_filters *filters, int report_fd);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef CDB_SUPERVISE_H
#define CDB_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Output of the service copied to a terminal of the caller's: the service
   writes into a pipe, never into the terminal itself (see sandbox.c). */
struct cdb_relay
{
  int from; /* the pipe's read end; -1 once it is closed */
  int to;   /* the caller's terminal */
};

/* What the supervisor saw end. */
struct cdb_outcome
{
  int status;       /* the child's wait status */
  bool killed_late; /* killed by the supervisor at the end of the stop
                       timeout */
};

/* Waits for child, passing on to it every signal in waited but SIGCHLD
   (all of which must be blocked), and copying the relays' output. After
   the first SIGTERM or SIGINT, the child has stop_timeout seconds to
   exit; then it is killed, and with it, as PID 1 of its namespace, the
   whole sandbox. Orphans the kernel hands to this process are reaped on
   the way, which matters when cdb-run is itself PID 1 of a container.
   Returns -1 only if it cannot wait for signals at all; the child is then
   killed. */
int cdb_supervise (pid_t child, const sigset_t *waited,
                   unsigned int stop_timeout, struct cdb_relay *relays,
                   size_t n_relays, struct cdb_outcome *outcome);

#endif

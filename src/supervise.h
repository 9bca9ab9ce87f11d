/* SPDX-License-Identifier: MIT */
#ifndef CDB_SUPERVISE_H
#define CDB_SUPERVISE_H

#include <signal.h>
#include <sys/types.h>

/* Waits for child and returns its wait status, passing on to it every
   signal in waited but SIGCHLD (which must be blocked). After the first
   SIGTERM or SIGINT, the child has stop_timeout seconds to exit; then it
   is killed, and with it, as PID 1 of its namespace, the whole sandbox.
   Orphans the kernel hands to this process are reaped on the way, which
   matters when cdb-run is itself PID 1 of a container. */
int cdb_supervise (pid_t child, const sigset_t *waited,
                   unsigned int stop_timeout);

#endif

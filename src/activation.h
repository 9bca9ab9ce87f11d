/* SPDX-License-Identifier: MIT */
#ifndef CDB_ACTIVATION_H
#define CDB_ACTIVATION_H

#include "error.h"
#include "plan.h"

/* Decides which of the caller's descriptors the service keeps: the
   preserve_fds given on the command line, and those of systemd-style
   socket activation (LISTEN_FDS, when LISTEN_PID names this process),
   whose variables are then passed on as the service will see them. Fails
   when a descriptor to keep is not open. */
int cdb_activation_take (struct cdb_plan *plan, unsigned int preserve_fds,
                         struct cdb_error *err);

/* A terminal on stdin is not handed to the service: a service that read
   it while its cdb-run runs in the background would take the keystrokes
   meant for the shell (its new session puts it beyond job control).
   stdin becomes /dev/null. (A terminal on stdout or stderr reaches the
   service only through a pipe: see sandbox.c.) */
int cdb_activation_guard_terminal (struct cdb_error *err);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef CDB_PROCESS_H
#define CDB_PROCESS_H

#include "error.h"
#include "plan.h"

/* Settings of the sandbox's own namespaces: hostname, and the loopback
   interface of a new network namespace. */
int cdb_process_set_host (const struct cdb_plan *plan, struct cdb_error *err);

/* Per-process settings the service inherits: rlimits and umask. Runs
   before privileges are dropped, while hard limits may still be raised. */
int cdb_process_set_limits (const struct cdb_plan *plan, struct cdb_error *err);

/* The working directory, entered as the service's own user so that the
   usual permission checks apply. */
int cdb_process_enter_cwd (const struct cdb_plan *plan, struct cdb_error *err);

#endif

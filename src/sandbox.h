/* SPDX-License-Identifier: MIT */
#ifndef CDB_SANDBOX_H
#define CDB_SANDBOX_H

#include "error.h"
#include "plan.h"

/* Runs the plan's service in a new sandbox and waits for it. On success
   *exit_status is what cdb-run should exit with: the service's status, or
   128 + N when signal N killed it. When the service could not be executed,
   err also holds why (126 or 127). Returns -1 with err filled when the
   sandbox could not be made; nothing of it is then left behind. */
int cdb_sandbox_run (const struct cdb_plan *plan, int *exit_status,
                     struct cdb_error *err);

#endif

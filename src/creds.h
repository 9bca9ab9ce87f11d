/* SPDX-License-Identifier: MIT */
#ifndef CDB_CREDS_H
#define CDB_CREDS_H

#include "error.h"
#include "plan.h"

/* Gives up every privilege the plan does not grant: supplementary groups,
   gid, uid, the five capability sets, and sets no_new_privs. */
int cdb_creds_drop (const struct cdb_plan *plan, struct cdb_error *err);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef CDB_VERIFY_H
#define CDB_VERIFY_H

#include "error.h"
#include "plan.h"

/* Reads back, from the kernel's own reports, that every measure of the
   plan is in effect in the calling process: ids, groups, the five
   capability sets, no_new_privs, seccomp filter mode, a read-only root
   and the /tmp tmpfs.
   Fails naming the first measure that does not hold. */
int cdb_verify (const struct cdb_plan *plan, struct cdb_error *err);

#endif

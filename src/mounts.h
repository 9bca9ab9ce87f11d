/* SPDX-License-Identifier: MIT */
#ifndef CDB_MOUNTS_H
#define CDB_MOUNTS_H

#include "error.h"
#include "plan.h"

/* Builds the sandbox's file system view in the calling process's new mount
   namespace and makes it the root: a read-only copy of the plan's root,
   its own /etc/hosts, the plan's mounts, /proc, a minimal /dev,
   masked and read-only paths.
   Must run in a new mount namespace and, for /proc, a new PID namespace.
   On return the working directory is the new "/". */
int cdb_mounts_setup (const struct cdb_plan *plan, struct cdb_error *err);

#endif

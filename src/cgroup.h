/* SPDX-License-Identifier: MIT */
#ifndef CDB_CGROUP_H
#define CDB_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "plan.h"

#define CDB_CGROUP_DIRS 4

/* One directory of the sandbox's cgroup: in the v2 tree, or in the v1
   hierarchy of one or more controllers. */
struct cdb_cgroup_dir
{
  char *path;
  bool unified;
  bool created;
  unsigned int controllers; /* CDB_CG_* */
};

#define CDB_CG_MEMORY (1u << 0)
#define CDB_CG_CPU (1u << 1)
#define CDB_CG_PIDS (1u << 2)
#define CDB_CG_CPUACCT (1u << 3) /* accounting only, where it is separate */

struct cdb_cgroup
{
  char name[48]; /* the same in every hierarchy */
  struct cdb_cgroup_dir dirs[CDB_CGROUP_DIRS];
  size_t n;
};

/* Creates the sandbox's cgroup below the caller's, in every hierarchy
   that holds a controller the plan's limits need, as
   "cdb-run.<pid>.<random>", and writes the limits.
   A plan with every limit turned off gets none. On failure nothing is
   left behind. */
int cdb_cgroup_create (const struct cdb_plan *plan, struct cdb_cgroup *cg,
                       struct cdb_error *err);

/* Moves pid, and so everything it will start, into the cgroup. */
int cdb_cgroup_enter (const struct cdb_cgroup *cg, pid_t pid,
                      struct cdb_error *err);

/* Whether the kernel's out-of-memory killer killed a process of the
   cgroup; *peak gets the highest memory use seen, 0 when unknown. */
bool cdb_cgroup_oom_killed (const struct cdb_cgroup *cg, uint64_t *peak);

/* Removes the cgroup. Its processes must have exited. */
void cdb_cgroup_destroy (struct cdb_cgroup *cg);

#endif

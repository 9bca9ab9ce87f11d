/* SPDX-License-Identifier: MIT */
#ifndef CDB_PLAN_H
#define CDB_PLAN_H

/*
 * The plan: a service spec after validation, with every default filled in
 * and every relaxation checked against the policy. Everything the sandbox
 * does is read from here, so `--dry-run` prints exactly what would happen.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

enum cdb_mount_kind
{
  CDB_MOUNT_BIND,
  CDB_MOUNT_TMPFS,
};

struct cdb_mount
{
  enum cdb_mount_kind kind;
  char *source;        /* bind: absolute host path; tmpfs: NULL */
  char *destination;   /* absolute, normalised path inside the root */
  unsigned long flags; /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC */
  char *data;          /* tmpfs: "size=...,mode=..."; bind: NULL */
};

struct cdb_rlimit
{
  int resource; /* RLIMIT_* */
  uint64_t soft;
  uint64_t hard; /* UINT64_MAX is RLIM_INFINITY */
};

/* The five capability sets, one bit per capability number. */
struct cdb_caps
{
  uint64_t bounding;
  uint64_t permitted;
  uint64_t effective;
  uint64_t inheritable;
  uint64_t ambient;
};

/* One comparison of a system call argument, as in an OCI "args" entry. */
struct cdb_seccomp_arg
{
  unsigned int index; /* 0 to 5 */
  uint64_t value;
  uint64_t value_two; /* SCMP_CMP_MASKED_EQ: the value; value is the mask */
  int op;             /* enum scmp_compare */
};

struct cdb_seccomp_rule
{
  char **names;    /* NULL-terminated system call names */
  uint32_t action; /* a libseccomp action, e.g. SCMP_ACT_ERRNO (EPERM) */
  struct cdb_seccomp_arg *args;
  size_t n_args;
};

/* A seccomp profile from linux.seccomp, with Docker's conditions
   (includes, excludes, archMap) already resolved for this machine and
   this plan. It is installed beside the built-in filter, never instead
   of it. */
struct cdb_seccomp_profile
{
  uint32_t default_action;
  uint32_t *arches; /* SCMP_ARCH_* tokens; none: the native one only */
  size_t n_arches;
  struct cdb_seccomp_rule *rules;
  size_t n_rules;
  bool log;        /* flags: SECCOMP_FILTER_FLAG_LOG */
  bool spec_allow; /* flags: SECCOMP_FILTER_FLAG_SPEC_ALLOW */
};

/* Resource limits, from linux.resources with the policy's defaults.
   CDB_UNLIMITED is a limit the spec turned off explicitly. */
#define CDB_UNLIMITED (-1)

struct cdb_resources
{
  int64_t memory_limit; /* bytes */
  int64_t memory_swap;  /* memory and swap together, bytes, as in OCI */
  int64_t cpu_quota;    /* microseconds of CPU time per period */
  int64_t cpu_period;   /* microseconds */
  int64_t cpu_shares;   /* 0: not set */
  int64_t pids_limit;
};

/* Namespaces beyond the ones every sandbox gets (mount, pid, ipc, uts). */
#define CDB_NS_NETWORK (1u << 0)
#define CDB_NS_CGROUP (1u << 1)
#define CDB_NS_USER (1u << 2) /* also chosen at run time for non-root */

struct cdb_plan
{
  char **args; /* NULL-terminated, at least one element */
  char **env;  /* NULL-terminated "NAME=value", defaults merged in */
  char *cwd;

  uid_t uid;
  gid_t gid;
  mode_t umask;
  struct cdb_caps caps;

  char *root_path; /* absolute; a relative spec path is made absolute */
  char *hostname;

  unsigned int namespaces; /* CDB_NS_* */

  struct cdb_mount *mounts; /* the spec's, /tmp always among them */
  size_t n_mounts;

  struct cdb_rlimit *rlimits; /* RLIMIT_CORE and RLIMIT_NOFILE always */
  size_t n_rlimits;

  char **masked_paths;   /* NULL-terminated */
  char **readonly_paths; /* NULL-terminated */

  struct cdb_seccomp_profile *seccomp; /* NULL: the built-in filter only */

  struct cdb_resources resources;
  unsigned int stop_timeout; /* seconds from SIGTERM to SIGKILL */

  /* Not part of the spec: set from the command line (--preserve-fds) and
     from the caller's socket activation. Descriptors 3 to 3 + keep_fds - 1
     reach the service; every other one is closed before exec. */
  unsigned int keep_fds;
};

void cdb_plan_free (struct cdb_plan *plan);

/* `cdb-run --spec F -- ARGS...`: ARGS replace process.args. */
int cdb_plan_set_args (struct cdb_plan *plan, char *const *args, size_t n,
                       struct cdb_error *err);

/* The plan as a spec document: what `--dry-run` prints. Feeding it back to
   the spec parser gives the same plan. */
json_t *cdb_plan_to_json (const struct cdb_plan *plan);

#endif

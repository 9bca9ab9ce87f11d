/* SPDX-License-Identifier: MIT */
#ifndef CDB_POLICY_H
#define CDB_POLICY_H

/*
 * The hardening policy: the defaults a spec gets for every absent field and
 * the bounds of every relaxation a spec may ask for. cdb-run ships one
 * built-in policy.
 */

#include <stdint.h>
#include <sys/types.h>

struct cdb_policy
{
  uid_t default_uid;
  unsigned int id_min; /* the lowest uid or gid a spec may ask for */
  gid_t default_gid;
  mode_t default_umask;

  /* Capabilities a spec may grant back; all others stay out of all five
     sets. One bit per capability number. */
  uint64_t cap_allowlist;

  const char *default_hostname;
  const char *default_path;
  const char *default_home;

  const char *tmp_options;  /* mount data of the default /tmp */
  uint64_t tmpfs_max_bytes; /* upper bound of any tmpfs size= */
  uint64_t default_nofile;  /* RLIMIT_NOFILE, soft and hard */

  /* linux.resources when the spec says nothing. A spec may set other
     values, or turn a limit off with -1: explicitly, never by omission. */
  int64_t default_memory;     /* bytes; swap is not allowed by default */
  int64_t default_cpu_quota;  /* microseconds per period */
  int64_t default_cpu_period; /* microseconds */
  int64_t default_pids;

  /* Seconds a service has, after SIGTERM, before it is killed. */
  unsigned int default_stop_timeout;

  const char *const *masked_paths;
  const char *const *readonly_paths;
};

extern const struct cdb_policy cdb_builtin_policy;

#endif

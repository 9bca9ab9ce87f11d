/* SPDX-License-Identifier: MIT */
#ifndef CDB_PROFILE_H
#define CDB_PROFILE_H

/*
 * linux.seccomp: a seccomp profile in the OCI form, or in Docker's and
 * Podman's (archMap, includes, excludes, errno names), resolved for this
 * machine and this plan into a struct cdb_seccomp_profile. Resolving is
 * pure: libseccomp is asked only to name system calls and architectures,
 * and uname() only for the kernel version that minKernel compares with.
 *
 * How the plan encodes a profile, for the code that loads it:
 * - an action is a libseccomp action value: SCMP_ACT_ERRNO (n) and
 *   SCMP_ACT_TRACE (n) carry their number in the low 16 bits;
 * - an architecture is a libseccomp token (SCMP_ARCH_X86_64, ...); the
 *   native one is always in a filter, so none listed means native only;
 * - a rule's names are known to libseccomp, but may have no number on this
 *   machine (seccomp_syscall_resolve_name() gives a negative one);
 * - no rule has the default action (libseccomp refuses one, and it changes
 *   nothing), and every rule applies here: those whose includes or
 *   excludes rule them out are dropped.
 */

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "plan.h"

/* What Docker's conditions are checked against. */
struct cdb_profile_host
{
  uint32_t arch;          /* SCMP_ARCH_* of this machine */
  unsigned int kernel[2]; /* the running kernel's major and minor */
};

/* This machine: libseccomp's native architecture and uname()'s release. */
int cdb_profile_host_detect (struct cdb_profile_host *host,
                             struct cdb_error *err);

/* Resolves the profile at JSON path `path` (e.g. "$.linux.seccomp") for
   this machine and a plan that grants `caps`; *out is set only on
   success, to a profile that cdb_profile_free() releases. */
int cdb_profile_resolve (json_t *value, const char *path,
                         const struct cdb_caps *caps,
                         struct cdb_seccomp_profile **out,
                         struct cdb_error *err);

/* The same for a given bounding set and machine, so that tests and fuzz
   targets need not depend on the one they run on. */
int cdb_profile_resolve_host (json_t *value, const char *path,
                              uint64_t bounding,
                              const struct cdb_profile_host *host,
                              struct cdb_seccomp_profile **out,
                              struct cdb_error *err);

/* The profile in OCI form, which resolves to the same profile; a new
   reference, or NULL when memory ran out. */
json_t *cdb_profile_to_json (const struct cdb_seccomp_profile *profile);

void cdb_profile_free (struct cdb_seccomp_profile *profile);

/* "SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", ...: the name of an action without
   its number, or NULL for one a profile cannot hold (SCMP_ACT_NOTIFY). */
const char *cdb_profile_action_name (uint32_t action);

/* Writes e.g. "SCMP_ARCH_X86_64" into buf and returns it, or NULL for a
   token that is not an architecture libseccomp knows. */
#define CDB_ARCH_NAME_MAX 32
const char *cdb_profile_arch_name (uint32_t arch, char *buf);

#endif

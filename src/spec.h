/* SPDX-License-Identifier: MIT */
#ifndef CDB_SPEC_H
#define CDB_SPEC_H

/*
 * The service spec: a subset of the OCI runtime-spec config.json. Parsing
 * is pure: it reads JSON, applies the policy's defaults and bounds, and
 * fills a plan. Every refusal names the JSON path it is about, e.g.
 * "spec: $.process.user.uid: uid 0 is refused by the policy".
 */

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "json-path.h"
#include "plan.h"
#include "policy.h"

/* Reads and resolves the spec file at path. A relative root.path is taken
   relative to the directory of the spec file. */
int cdb_spec_load (const char *path, const struct cdb_policy *policy,
                   struct cdb_plan *plan, struct cdb_error *err);

/* Resolves an already parsed document; base_dir makes a relative
   root.path absolute (NULL: the current directory). Both functions leave
   the plan zeroed on failure, holding nothing to free. */
int cdb_spec_resolve (json_t *doc, const char *base_dir,
                      const struct cdb_policy *policy, struct cdb_plan *plan,
                      struct cdb_error *err);

/* The kernel's MAX_ARG_STRLEN, with its NUL: execve() refuses a longer
   argument or environment string. */
#define CDB_SPEC_MAX_ARG (32 * 4096)

/* The spec's names for capabilities and rlimits, shared with the plan's
   printer so that both spell them alike. cdb_spec_cap_name() writes e.g.
   "CAP_NET_RAW" into buf and returns it, or NULL for a number libcap-ng
   does not know; cdb_spec_rlimit_name() returns e.g. "RLIMIT_NOFILE", or
   NULL. */
/* The namespace types a spec may list, with the plan flag of each; 0 for
   those every sandbox has anyway. Ends with a NULL type. */
struct cdb_namespace_type
{
  const char *type;
  unsigned int flag;
};
extern const struct cdb_namespace_type cdb_namespace_types[];

#define CDB_CAP_NAME_MAX 64
const char *cdb_spec_cap_name (unsigned int cap, char *buf);
const char *cdb_spec_rlimit_name (int resource);

/* The number of a capability named "CAP_XXX", or -1. */
int cdb_spec_cap_number (const char *name);

#endif

/* SPDX-License-Identifier: MIT */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "cleanup.h"
#include "strv.h"
#include "profile.h"
#include "spec.h"

/* The version of the OCI runtime-spec whose names the printed plan uses. */
#define OCI_VERSION "1.0.2"

void
cdb_plan_free (struct cdb_plan *plan)
{
  size_t i;

  strv_free (plan->args);
  strv_free (plan->env);
  free (plan->cwd);
  free (plan->root_path);
  free (plan->hostname);

  for (i = 0; i < plan->n_mounts; i++)
    {
      free (plan->mounts[i].source);
      free (plan->mounts[i].destination);
      free (plan->mounts[i].data);
    }
  free (plan->mounts);
  free (plan->rlimits);

  strv_free (plan->masked_paths);
  strv_free (plan->readonly_paths);
  cdb_profile_free (plan->seccomp);
  memset (plan, 0, sizeof *plan);
}

/* --- arguments ------------------------------------------------------------ */

static char **
strv_copy (char *const *items, size_t n)
{
  char **copy = calloc (n + 1, sizeof *copy);
  size_t i;

  if (copy == NULL)
    return NULL;

  for (i = 0; i < n; i++)
    {
      copy[i] = strdup (items[i]);
      if (copy[i] == NULL)
        {
          strv_free (copy);
          return NULL;
        }
    }
  return copy;
}

/* The arguments obey the rules of process.args, so that the plan they give
   still prints as a spec that resolves to it. */
static int
check_args (char *const *args, size_t n, struct cdb_error *err)
{
  size_t i;

  if (n == 0)
    return cdb_fail (err, 0, "arguments: a command is required after --");
  if (n > CDB_SPEC_MAX_ITEMS)
    return cdb_fail (err, 0, "arguments: more than %d after --",
                     CDB_SPEC_MAX_ITEMS);

  for (i = 0; i < n; i++)
    {
      if (args[i] == NULL || args[i][0] == '\0')
        return cdb_fail (err, 0, "arguments: argument %zu after -- is empty",
                         i + 1);
      if (strlen (args[i]) >= CDB_SPEC_MAX_ARG)
        return cdb_fail (err, 0,
                         "arguments: argument %zu after -- is longer than %d "
                         "bytes",
                         i + 1, CDB_SPEC_MAX_ARG - 1);
    }
  return 0;
}

int
cdb_plan_set_args (struct cdb_plan *plan, char *const *args, size_t n,
                   struct cdb_error *err)
{
  char **copy;

  if (check_args (args, n, err) < 0)
    return -1;

  copy = strv_copy (args, n);
  if (copy == NULL)
    return cdb_fail (err, ENOMEM, "arguments: copy");

  strv_free (plan->args);
  plan->args = copy;
  return 0;
}

/* --- printing ------------------------------------------------------------- */

/* Every builder returns a new reference, or NULL when memory ran out or
   the plan holds what JSON cannot carry (a string that is not UTF-8).
   json_pack() takes the references given to "o" even when it fails. */

static json_t *
strv_json (char *const *v)
{
  _cleanup_json_ json_t *array = json_array ();

  if (array == NULL)
    return NULL;

  for (; v != NULL && *v != NULL; v++)
    if (json_array_append_new (array, json_string (*v)) < 0)
      return NULL;
  return take_ptr (array);
}

static json_t *
caps_json (uint64_t set)
{
  _cleanup_json_ json_t *array = json_array ();
  char name[CDB_CAP_NAME_MAX];
  unsigned int cap;

  if (array == NULL)
    return NULL;

  for (cap = 0; cap < 64; cap++)
    {
      if (!(set & (UINT64_C (1) << cap)))
        continue;
      if (json_array_append_new (array,
                                 json_string (cdb_spec_cap_name (cap, name)))
          < 0)
        return NULL;
    }
  return take_ptr (array);
}

/* The inheritable set is left out: a spec cannot list one, and the parser
   derives it from ambient. */
static json_t *
capabilities_json (const struct cdb_caps *caps)
{
  return json_pack ("{s:o,s:o,s:o,s:o}", "bounding", caps_json (caps->bounding),
                    "effective", caps_json (caps->effective), "permitted",
                    caps_json (caps->permitted), "ambient",
                    caps_json (caps->ambient));
}

static json_t *
rlimit_json (const struct cdb_rlimit *limit)
{
  const char *type = cdb_spec_rlimit_name (limit->resource);

  if (limit->soft > INT64_MAX || limit->hard > INT64_MAX)
    return NULL;

  return json_pack ("{s:s,s:I,s:I}", "type", type, "soft",
                    (json_int_t) limit->soft, "hard", (json_int_t) limit->hard);
}

static json_t *
rlimits_json (const struct cdb_plan *plan)
{
  _cleanup_json_ json_t *array = json_array ();
  size_t i;

  if (array == NULL)
    return NULL;

  for (i = 0; i < plan->n_rlimits; i++)
    if (json_array_append_new (array, rlimit_json (&plan->rlimits[i])) < 0)
      return NULL;
  return take_ptr (array);
}

static json_t *
process_json (const struct cdb_plan *plan)
{
  return json_pack ("{s:o,s:o,s:s,s:{s:I,s:I,s:I},s:o,s:o,s:b,s:b}", "args",
                    strv_json (plan->args), "env", strv_json (plan->env), "cwd",
                    plan->cwd, "user", "uid", (json_int_t) plan->uid, "gid",
                    (json_int_t) plan->gid, "umask", (json_int_t) plan->umask,
                    "capabilities", capabilities_json (&plan->caps), "rlimits",
                    rlimits_json (plan), "noNewPrivileges", 1, "terminal", 0);
}

static int
append_word (json_t *array, const char *word)
{
  return json_array_append_new (array, json_string (word));
}

/* The data string "size=...,mode=..." comes back as one option each. */
static int
append_data (json_t *array, const char *data)
{
  while (data != NULL && *data != '\0')
    {
      size_t n = strcspn (data, ",");

      if (n > 0 && json_array_append_new (array, json_stringn (data, n)) < 0)
        return -1;
      data += n + (data[n] == ',');
    }
  return 0;
}

static json_t *
mount_options_json (const struct cdb_mount *mount)
{
  _cleanup_json_ json_t *options = json_array ();
  unsigned long flags = mount->flags;
  bool bind = mount->kind == CDB_MOUNT_BIND;

  if (options == NULL
      || (bind && append_word (options, flags & MS_REC ? "rbind" : "bind") < 0)
      || append_word (options, flags & MS_RDONLY ? "ro" : "rw") < 0
      || (flags & MS_NOSUID && append_word (options, "nosuid") < 0)
      || (flags & MS_NODEV && append_word (options, "nodev") < 0)
      || append_word (options, flags & MS_NOEXEC ? "noexec" : "exec") < 0
      || append_data (options, mount->data) < 0)
    return NULL;
  return take_ptr (options);
}

static json_t *
mount_json (const struct cdb_mount *mount)
{
  bool bind = mount->kind == CDB_MOUNT_BIND;

  return json_pack ("{s:s,s:s,s:s,s:o}", "destination", mount->destination,
                    "type", bind ? "bind" : "tmpfs", "source",
                    bind ? mount->source : "tmpfs", "options",
                    mount_options_json (mount));
}

static json_t *
mounts_json (const struct cdb_plan *plan)
{
  _cleanup_json_ json_t *array = json_array ();
  size_t i;

  if (array == NULL)
    return NULL;

  for (i = 0; i < plan->n_mounts; i++)
    if (json_array_append_new (array, mount_json (&plan->mounts[i])) < 0)
      return NULL;
  return take_ptr (array);
}

/* The namespaces every sandbox gets are listed too, so that the printed
   plan says what the sandbox will have. */
static json_t *
namespaces_json (unsigned int namespaces)
{
  _cleanup_json_ json_t *array = json_array ();
  size_t i;

  if (array == NULL)
    return NULL;

  for (i = 0; cdb_namespace_types[i].type != NULL; i++)
    {
      const struct cdb_namespace_type *t = &cdb_namespace_types[i];

      if (t->flag != 0 && !(namespaces & t->flag))
        continue;
      if (json_array_append_new (array, json_pack ("{s:s}", "type", t->type))
          < 0)
        return NULL;
    }
  return take_ptr (array);
}

/* Without a profile, seccomp is left out: the built-in filter alone is
   what a spec without linux.seccomp gets. A profile prints in the OCI
   form, its includes and excludes already decided for this machine. */
/* A limit turned off prints as -1; cpu.shares only when set. */
static json_t *
resources_json (const struct cdb_resources *r)
{
  _cleanup_json_ json_t *obj = json_pack (
      "{s:{s:I,s:I},s:{s:I,s:I},s:{s:I}}", "memory", "limit",
      (json_int_t) r->memory_limit, "swap", (json_int_t) r->memory_swap, "cpu",
      "quota", (json_int_t) r->cpu_quota, "period", (json_int_t) r->cpu_period,
      "pids", "limit", (json_int_t) r->pids_limit);

  if (obj == NULL)
    return NULL;

  if (r->cpu_shares != 0
      && json_object_set_new (json_object_get (obj, "cpu"), "shares",
                              json_integer (r->cpu_shares))
             < 0)
    return NULL;
  return take_ptr (obj);
}

static json_t *
linux_json (const struct cdb_plan *plan)
{
  _cleanup_json_ json_t *obj = json_pack (
      "{s:o,s:o,s:o,s:o}", "namespaces", namespaces_json (plan->namespaces),
      "resources", resources_json (&plan->resources), "maskedPaths",
      strv_json (plan->masked_paths), "readonlyPaths",
      strv_json (plan->readonly_paths));

  if (obj == NULL)
    return NULL;

  if (plan->seccomp != NULL
      && json_object_set_new (obj, "seccomp",
                              cdb_profile_to_json (plan->seccomp))
             < 0)
    return NULL;
  return take_ptr (obj);
}

json_t *
cdb_plan_to_json (const struct cdb_plan *plan)
{
  char stop_timeout[16];

  snprintf (stop_timeout, sizeof stop_timeout, "%u", plan->stop_timeout);
  return json_pack ("{s:s,s:o,s:{s:s,s:b},s:s,s:o,s:o,s:{s:s}}", "ociVersion",
                    OCI_VERSION, "process", process_json (plan), "root", "path",
                    plan->root_path, "readonly", 1, "hostname", plan->hostname,
                    "mounts", mounts_json (plan), "linux", linux_json (plan),
                    "annotations", "cdb-run.stop-timeout", stop_timeout);
}

/* SPDX-License-Identifier: MIT */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "spec.h"

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "json-path.h"
#include "strv.h"
#include "profile.h"

/*
 * The spec is walked member by member. Each object has a table of its
 * members; a key not in the table is an error, and every member's resolver
 * is called, with NULL when the member is absent, so that each resolver
 * either keeps the policy's default or says the member is required. The
 * plan holds the policy's defaults before the walk starts.
 */

/* Room for any path this file builds: a key is cut to JKEY_MAX characters
   in a path, and no array is longer than CDB_SPEC_MAX_ITEMS. */

/* (uid_t) -1 and (gid_t) -1 mean "leave unchanged" to setresuid() and
   setresgid(), so they cannot name a user. */
#define ID_MAX 4294967294LL

#define HOSTNAME_MAX 64
#define HOSTNAME_CHARS                                                         \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."

#define BIT(n) (UINT64_C (1) << (n))

#if JSON_INTEGER_IS_LONG_LONG
#define JSON_INT_MAX LLONG_MAX
#else
#define JSON_INT_MAX LONG_MAX
#endif

/* What a mount's options ask for, before they become flags and data. */
enum
{
  OPT_BIND = 1 << 0,
  OPT_RBIND = 1 << 1,
  OPT_RO = 1 << 2,
  OPT_RW = 1 << 3,
  OPT_EXEC = 1 << 4,
  OPT_NOEXEC = 1 << 5,
  OPT_SIZE = 1 << 6,
  OPT_MODE = 1 << 7,
};

struct mount_options
{
  enum cdb_mount_kind kind;
  unsigned int seen; /* OPT_* */
  uint64_t size;
  unsigned int mode;
};

struct spec
{
  const struct cdb_policy *policy;
  const char *base_dir;
  struct cdb_plan *plan;
  struct cdb_error *err;

  size_t n_args;
  size_t n_env;
  size_t n_masked;
  size_t n_readonly;

  struct cdb_caps listed; /* the sets as the spec lists them */
  uint64_t rlimits_seen;  /* one bit per RLIMIT_* the spec sets */
  unsigned int namespaces_seen;
  struct mount_options tmp; /* the policy's tmp_options */
  bool swap_listed;         /* linux.resources.memory.swap is in the spec */
};

typedef int member_fn (struct spec *s, json_t *value, const char *path);
typedef int string_fn (struct spec *s, const char *value, const char *path,
                       void *data);
typedef int object_fn (struct spec *s, json_t *obj, const char *path);

struct member
{
  const char *key;
  member_fn *resolve; /* NULL: the caller reads the member itself */
};

/* --- names ---------------------------------------------------------------- */

static const struct
{
  const char *name;
  int resource;
} rlimit_names[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

#define N_RLIMIT_NAMES (sizeof rlimit_names / sizeof rlimit_names[0])

const char *
cdb_spec_rlimit_name (int resource)
{
  size_t i;

  for (i = 0; i < N_RLIMIT_NAMES; i++)
    if (rlimit_names[i].resource == resource)
      return rlimit_names[i].name;
  return NULL;
}

static int
rlimit_resource (const char *name)
{
  size_t i;

  for (i = 0; i < N_RLIMIT_NAMES; i++)
    if (strcmp (rlimit_names[i].name, name) == 0)
      return rlimit_names[i].resource;
  return -1;
}

const char *
cdb_spec_cap_name (unsigned int cap, char *buf)
{
  const char *name = cap < 64 ? capng_capability_to_name (cap) : NULL;
  char *c;

  /* libcap-ng answers "unknown" rather than NULL on some versions. */
  if (name == NULL || strcmp (name, "unknown") == 0)
    return NULL;

  snprintf (buf, CDB_CAP_NAME_MAX, "CAP_%s", name);
  for (c = buf; *c != '\0'; c++)
    if (*c >= 'a' && *c <= 'z')
      *c = (char) (*c - 'a' + 'A');
  return buf;
}

int
cdb_spec_cap_number (const char *name)
{
  int cap = -1;

  if (strncmp (name, "CAP_", 4) == 0 && name[4] != '\0')
    cap = capng_name_to_capability (name + 4);
  return cap < 64 ? cap : -1;
}

/* Writes "CAP_A, CAP_B" or "none"; a list too long for the buffer is cut
   with "...", since it only ever ends up in a one-line message. */
static void
cap_list (uint64_t set, char *buf, size_t size)
{
  char name[CDB_CAP_NAME_MAX];
  size_t len = 0;
  unsigned int cap;

  snprintf (buf, size, "none");
  for (cap = 0; cap < 64 && len < size; cap++)
    {
      if (!(set & BIT (cap)) || cdb_spec_cap_name (cap, name) == NULL)
        continue;
      len += snprintf (buf + len, size - len, "%s%s", len ? ", " : "", name);
    }
  if (len >= size && size > 4)
    strcpy (buf + size - 4, "...");
}

/* --- paths and errors ----------------------------------------------------- */

/* Keys and values of the spec end up in messages; a control character
   among them must not split or disguise the one-line report. */
static int
one_line (struct cdb_error *err)
{
  char *c;

  for (c = err->msg; *c != '\0'; c++)
    if ((unsigned char) *c < 0x20 || *c == 0x7f)
      *c = '?';
  return -1;
}

/* --- vectors -------------------------------------------------------------- */

static bool
strv_contains (char *const *v, const char *str)
{
  for (; v != NULL && *v != NULL; v++)
    if (strcmp (*v, str) == 0)
      return true;
  return false;
}

static int
strv_extend (char ***v, size_t *n, const char *const *items)
{
  if (*v == NULL)
    *v = calloc (1, sizeof **v);
  if (*v == NULL)
    return -1;

  for (; items != NULL && *items != NULL; items++)
    if (strv_append (v, n, *items) < 0)
      return -1;
  return 0;
}

static int
replace_string (char **slot, const char *value)
{
  char *copy = strdup (value);

  if (copy == NULL)
    return -1;

  free (*slot);
  *slot = copy;
  return 0;
}

/* --- JSON values ---------------------------------------------------------- */

static const struct member *
find_member (const struct member *table, const char *key)
{
  for (; table->key != NULL; table++)
    if (strcmp (table->key, key) == 0)
      return table;
  return NULL;
}

static int
check_keys (json_t *obj, const char *path, const struct member *table,
            struct cdb_error *err)
{
  char sub[JPATH_MAX];
  void *iter;

  for (iter = json_object_iter (obj); iter != NULL;
       iter = json_object_iter_next (obj, iter))
    {
      const char *key = json_object_iter_key (iter);

      if (!jpath_key_is_clean (iter, key) || find_member (table, key) == NULL)
        return cdb_fail (err, 0, "spec: %s: unknown key",
                         jpath_key (sub, path, key));
    }
  return 0;
}

static int
resolve_members (struct spec *s, json_t *obj, const char *path,
                 const struct member *table)
{
  char sub[JPATH_MAX];

  if (obj != NULL && !json_is_object (obj))
    return jpath_expected (s->err, path, "an object");
  if (obj != NULL && check_keys (obj, path, table, s->err) < 0)
    return -1;

  for (; table->key != NULL; table++)
    {
      json_t *value = json_object_get (obj, table->key);

      if (table->resolve (s, value, jpath_key (sub, path, table->key)) < 0)
        return -1;
    }
  return 0;
}

static int
bool_value (json_t *v, const char *path, bool *out, struct cdb_error *err)
{
  if (!json_is_boolean (v))
    return jpath_expected (err, path, "true or false");

  *out = json_is_true (v);
  return 0;
}

static int
each_string (struct spec *s, json_t *array, const char *path, string_fn *fn,
             void *data)
{
  char sub[JPATH_MAX];
  json_t *item;
  size_t i;

  if (jpath_array (array, path, "an array of strings", s->err) < 0)
    return -1;

  json_array_foreach (array, i, item)
    {
      const char *text;

      jpath_index (sub, path, i);
      if (jpath_string (item, sub, &text, s->err) < 0)
        return -1;
      if (fn (s, text, sub, data) < 0)
        return -1;
    }
  return 0;
}

static int
each_object (struct spec *s, json_t *array, const char *path,
             const struct member *keys, object_fn *fn)
{
  char sub[JPATH_MAX];
  json_t *item;
  size_t i;

  if (jpath_array (array, path, "an array of objects", s->err) < 0)
    return -1;

  json_array_foreach (array, i, item)
    {
      jpath_index (sub, path, i);
      if (!json_is_object (item))
        return jpath_expected (s->err, sub, "an object");
      if (check_keys (item, sub, keys, s->err) < 0)
        return -1;
      if (fn (s, item, sub) < 0)
        return -1;
    }
  return 0;
}

/* Lexical only: the path names a file in a tree that is not mounted yet,
   so no symlink can be followed here. ".." is refused rather than
   resolved, because what it names depends on those symlinks. */
static int
normal_path (const char *in, const char *path, char **out,
             struct cdb_error *err)
{
  _cleanup_free_ char *res = NULL;
  size_t len = 0;

  if (in[0] != '/')
    return jpath_expected (err, path, "an absolute path");
  if (strlen (in) >= PATH_MAX)
    return cdb_fail (err, 0, "spec: %s: the path is longer than %d bytes", path,
                     PATH_MAX - 1);

  res = malloc (strlen (in) + 2);
  if (res == NULL)
    return jpath_out_of_memory (err, path);

  while (*in != '\0')
    {
      size_t n;

      in += strspn (in, "/");
      n = strcspn (in, "/");
      if (n == 2 && in[0] == '.' && in[1] == '.')
        return cdb_fail (err, 0, "spec: %s: a \"..\" component is refused",
                         path);
      if (n > 0 && !(n == 1 && in[0] == '.'))
        {
          res[len++] = '/';
          memcpy (res + len, in, n);
          len += n;
        }
      in += n;
    }
  if (len == 0)
    res[len++] = '/';
  res[len] = '\0';

  *out = take_ptr (res);
  return 0;
}

static bool
is_under (const char *path, const char *top)
{
  size_t len = strlen (top);

  return strncmp (path, top, len) == 0
         && (path[len] == '\0' || path[len] == '/');
}

/* --- process -------------------------------------------------------------- */

static int
add_arg (struct spec *s, const char *arg, const char *path, void *data)
{
  (void) data;

  if (arg[0] == '\0')
    return jpath_expected (s->err, path, "a non-empty string");
  if (strlen (arg) >= CDB_SPEC_MAX_ARG)
    return cdb_fail (s->err, 0, "spec: %s: longer than %d bytes", path,
                     CDB_SPEC_MAX_ARG - 1);

  if (strv_append (&s->plan->args, &s->n_args, arg) < 0)
    return jpath_out_of_memory (s->err, path);
  return 0;
}

static int
resolve_args (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return jpath_required (s->err, path);
  if (json_is_array (value) && json_array_size (value) == 0)
    return jpath_expected (s->err, path, "a non-empty array of strings");

  return each_string (s, value, path, add_arg, NULL);
}

/* A variable set before keeps its place and takes the new value, so the
   order is that of first mention: the defaults, then the spec's. */
static int
env_set (struct spec *s, const char *entry)
{
  size_t name_len = strcspn (entry, "=") + 1;
  char **slot;

  for (slot = s->plan->env; slot != NULL && *slot != NULL; slot++)
    if (strncmp (*slot, entry, name_len) == 0)
      return replace_string (slot, entry);
  return strv_append (&s->plan->env, &s->n_env, entry);
}

static int
env_default (struct spec *s, const char *name, const char *value)
{
  size_t size = strlen (name) + strlen (value) + 2;
  _cleanup_free_ char *entry = malloc (size);

  if (entry == NULL)
    return -1;

  snprintf (entry, size, "%s=%s", name, value);
  return env_set (s, entry);
}

/* Always 1: bytecode cannot be written into the read-only tree anyway
   (and a writable cache would be code planted for the next start), and
   buffered output is lost when the service is killed. */
static const char *const python_vars[] = {
  "PYTHONDONTWRITEBYTECODE",
  "PYTHONUNBUFFERED",
  NULL,
};

static int
check_python_var (struct spec *s, const char *entry, const char *path)
{
  const char *const *var;

  for (var = python_vars; *var != NULL; var++)
    {
      size_t len = strlen (*var);

      if (strncmp (entry, *var, len) == 0 && entry[len] == '='
          && strcmp (entry + len + 1, "1") != 0)
        return cdb_fail (s->err, 0,
                         "spec: %s: %s other than 1 is refused by the policy",
                         path, *var);
    }
  return 0;
}

static int
add_env (struct spec *s, const char *entry, const char *path, void *data)
{
  const char *eq = strchr (entry, '=');

  (void) data;
  if (eq == NULL || eq == entry)
    return jpath_expected (s->err, path,
                           "\"NAME=value\" with a non-empty NAME");
  if (strlen (entry) >= CDB_SPEC_MAX_ARG)
    return cdb_fail (s->err, 0, "spec: %s: longer than %d bytes", path,
                     CDB_SPEC_MAX_ARG - 1);

  if (check_python_var (s, entry, path) < 0)
    return -1;

  if (env_set (s, entry) < 0)
    return jpath_out_of_memory (s->err, path);
  return 0;
}

static int
resolve_env (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return each_string (s, value, path, add_env, NULL);
}

static int
resolve_cwd (struct spec *s, json_t *value, const char *path)
{
  const char *text;
  char *cwd;

  if (value == NULL)
    return 0;

  if (jpath_string (value, path, &text, s->err) < 0)
    return -1;

  if (normal_path (text, path, &cwd, s->err) < 0)
    return -1;

  free (s->plan->cwd);
  s->plan->cwd = cwd;
  return 0;
}

static int
checked_id (struct spec *s, json_t *value, const char *path, const char *what,
            json_int_t *id)
{
  if (jpath_integer (value, path, 0, ID_MAX, id, s->err) < 0)
    return -1;

  /* Below the policy's floor are root and the system's own ids, which own
     host files (gid 42, shadow, reads /etc/shadow) and services. */
  if (*id < (json_int_t) s->policy->id_min)
    return cdb_fail (s->err, 0,
                     "spec: %s: %s %" JSON_INTEGER_FORMAT
                     " is refused by the policy (ids below %u belong to "
                     "the system)",
                     path, what, *id, (unsigned) s->policy->id_min);
  return 0;
}

static int
resolve_uid (struct spec *s, json_t *value, const char *path)
{
  json_int_t id;

  if (value == NULL)
    return 0;

  if (checked_id (s, value, path, "uid", &id) < 0)
    return -1;

  s->plan->uid = (uid_t) id;
  return 0;
}

static int
resolve_gid (struct spec *s, json_t *value, const char *path)
{
  json_int_t id;

  if (value == NULL)
    return 0;

  if (checked_id (s, value, path, "gid", &id) < 0)
    return -1;

  s->plan->gid = (gid_t) id;
  return 0;
}

static int
resolve_umask (struct spec *s, json_t *value, const char *path)
{
  json_int_t mask = 0;

  if (value == NULL)
    return 0;

  if (jpath_integer (value, path, 0, 0777, &mask, s->err) < 0)
    return -1;

  s->plan->umask = (mode_t) mask;
  return 0;
}

/* A supplementary group grants access that neither the uid nor the gid
   shows, so the policy allows none; an empty list says the same. */
static int
resolve_groups (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  if (jpath_array (value, path, "an array of integers", s->err) < 0)
    return -1;
  if (json_array_size (value) > 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: supplementary groups are refused by the "
                     "policy",
                     path);
  return 0;
}

static const struct member user_members[] = {
  { "uid", resolve_uid },
  { "gid", resolve_gid },
  { "umask", resolve_umask },
  { "additionalGids", resolve_groups },
  { NULL, NULL },
};

static int
resolve_user (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, user_members);
}

struct cap_set
{
  uint64_t *set;
  uint64_t bound; /* a capability must be in here too */
};

static int
refuse_cap (struct spec *s, const char *name, const char *path)
{
  char allowed[CDB_ERROR_MAX];

  cap_list (s->policy->cap_allowlist, allowed, sizeof allowed);
  return cdb_fail (s->err, 0,
                   "spec: %s: %s is refused by the policy (allowed: %s)", path,
                   name, allowed);
}

static int
add_cap (struct spec *s, const char *name, const char *path, void *data)
{
  struct cap_set *list = data;
  int cap = cdb_spec_cap_number (name);

  if (cap < 0)
    return cdb_fail (s->err, 0, "spec: %s: unknown capability \"%s\"", path,
                     name);
  if (!(s->policy->cap_allowlist & BIT (cap)))
    return refuse_cap (s, name, path);
  if (!(list->bound & BIT (cap)))
    return cdb_fail (s->err, 0, "spec: %s: %s is not in the bounding set", path,
                     name);

  *list->set |= BIT (cap);
  return 0;
}

static int
resolve_cap_set (struct spec *s, json_t *value, const char *path, uint64_t *set,
                 uint64_t bound)
{
  struct cap_set list = { set, bound };

  if (value == NULL)
    return 0;

  return each_string (s, value, path, add_cap, &list);
}

static int
resolve_bounding (struct spec *s, json_t *value, const char *path)
{
  return resolve_cap_set (s, value, path, &s->listed.bounding, UINT64_MAX);
}

static int
resolve_effective (struct spec *s, json_t *value, const char *path)
{
  return resolve_cap_set (s, value, path, &s->listed.effective,
                          s->listed.bounding);
}

static int
resolve_permitted (struct spec *s, json_t *value, const char *path)
{
  return resolve_cap_set (s, value, path, &s->listed.permitted,
                          s->listed.bounding);
}

static int
resolve_ambient (struct spec *s, json_t *value, const char *path)
{
  return resolve_cap_set (s, value, path, &s->listed.ambient,
                          s->listed.bounding);
}

/* The inheritable set would pass a capability on to any program whose file
   carries it in its own inheritable set, beyond the service itself. */
static int
resolve_inheritable (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  if (jpath_array (value, path, "an array of strings", s->err) < 0)
    return -1;
  if (json_array_size (value) > 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: inheritable capabilities are refused by the "
                     "policy (list them in ambient)",
                     path);
  return 0;
}

/* bounding comes first: the other sets are checked against it. */
static const struct member capability_members[] = {
  { "bounding", resolve_bounding },       { "effective", resolve_effective },
  { "permitted", resolve_permitted },     { "ambient", resolve_ambient },
  { "inheritable", resolve_inheritable }, { NULL, NULL },
};

static int
resolve_capabilities (struct spec *s, json_t *value, const char *path)
{
  const struct cdb_caps *listed = &s->listed;
  struct cdb_caps *caps = &s->plan->caps;
  uint64_t held;

  if (resolve_members (s, value, path, capability_members) < 0)
    return -1;

  /* A Python service does not raise capabilities itself, so whatever it
     may hold it holds effective; and an ambient capability is permitted
     and effective after execve() anyway. */
  held = listed->permitted | listed->effective | listed->ambient;
  caps->bounding = listed->bounding;
  caps->permitted = held;
  caps->effective = held;
  caps->ambient = listed->ambient;
  /* The kernel raises a capability in the ambient set only while it is in
     both the permitted and the inheritable sets, and clears it from ambient
     when it leaves either. */
  caps->inheritable = listed->ambient;
  return 0;
}

static int
rlimit_set (struct cdb_plan *plan, const struct cdb_rlimit *limit)
{
  struct cdb_rlimit *grown;
  size_t i;

  for (i = 0; i < plan->n_rlimits; i++)
    if (plan->rlimits[i].resource == limit->resource)
      {
        plan->rlimits[i] = *limit;
        return 0;
      }

  grown = realloc (plan->rlimits, (plan->n_rlimits + 1) * sizeof *grown);
  if (grown == NULL)
    return -1;

  grown[plan->n_rlimits++] = *limit;
  plan->rlimits = grown;
  return 0;
}

static int
rlimit_type (struct spec *s, json_t *value, const char *path, int *resource)
{
  const char *name;

  if (value == NULL)
    return jpath_required (s->err, path);
  if (jpath_string (value, path, &name, s->err) < 0)
    return -1;

  *resource = rlimit_resource (name);
  if (*resource < 0)
    return cdb_fail (s->err, 0, "spec: %s: unknown rlimit \"%s\"", path, name);
  if (s->rlimits_seen & BIT (*resource))
    return cdb_fail (s->err, 0, "spec: %s: %s is set twice", path, name);

  s->rlimits_seen |= BIT (*resource);
  return 0;
}

/* jansson holds integers as long long, so RLIM_INFINITY (2^64 - 1) cannot
   be written in a spec: an unlimited resource is not a default to offer. */
static int
rlimit_value (struct spec *s, json_t *value, const char *path, json_int_t *out)
{
  if (value == NULL)
    return jpath_required (s->err, path);

  return jpath_integer (value, path, 0, JSON_INT_MAX, out, s->err);
}

static int
add_rlimit (struct spec *s, json_t *entry, const char *path)
{
  char sub[JPATH_MAX];
  struct cdb_rlimit limit;
  json_int_t soft;
  json_int_t hard;

  if (rlimit_type (s, json_object_get (entry, "type"),
                   jpath_key (sub, path, "type"), &limit.resource)
      < 0)
    return -1;

  if (rlimit_value (s, json_object_get (entry, "soft"),
                    jpath_key (sub, path, "soft"), &soft)
      < 0)
    return -1;

  if (rlimit_value (s, json_object_get (entry, "hard"),
                    jpath_key (sub, path, "hard"), &hard)
      < 0)
    return -1;

  if (soft > hard)
    return cdb_fail (s->err, 0,
                     "spec: %s: %" JSON_INTEGER_FORMAT
                     " is above the hard limit %" JSON_INTEGER_FORMAT,
                     jpath_key (sub, path, "soft"), soft, hard);

  limit.soft = (uint64_t) soft;
  limit.hard = (uint64_t) hard;
  if (rlimit_set (s->plan, &limit) < 0)
    return jpath_out_of_memory (s->err, path);
  return 0;
}

static const struct member rlimit_keys[] = {
  { "type", NULL },
  { "soft", NULL },
  { "hard", NULL },
  { NULL, NULL },
};

static int
resolve_rlimits (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return each_object (s, value, path, rlimit_keys, add_rlimit);
}

static int
resolve_no_new_privs (struct spec *s, json_t *value, const char *path)
{
  bool set = true;

  if (value == NULL)
    return 0;

  if (bool_value (value, path, &set, s->err) < 0)
    return -1;
  if (!set)
    return cdb_fail (s->err, 0,
                     "spec: %s: refused by the policy: no_new_privs is "
                     "always set",
                     path);
  return 0;
}

static int
resolve_terminal (struct spec *s, json_t *value, const char *path)
{
  bool terminal = false;

  if (value == NULL)
    return 0;

  if (bool_value (value, path, &terminal, s->err) < 0)
    return -1;
  if (terminal)
    return cdb_fail (s->err, 0,
                     "spec: %s: refused: a terminal is not supported", path);
  return 0;
}

static const struct member process_members[] = {
  { "args", resolve_args },
  { "env", resolve_env },
  { "cwd", resolve_cwd },
  { "user", resolve_user },
  { "capabilities", resolve_capabilities },
  { "rlimits", resolve_rlimits },
  { "noNewPrivileges", resolve_no_new_privs },
  { "terminal", resolve_terminal },
  { NULL, NULL },
};

static int
resolve_process (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, process_members);
}

/* --- root and hostname ---------------------------------------------------- */

/* A relative root is the OCI bundle layout: "rootfs" beside the spec. */
static int
join_base (struct spec *s, const char *rel, const char *path, char **out)
{
  const char *base = s->base_dir != NULL ? s->base_dir : "";
  char cwd[PATH_MAX] = "";
  size_t size;

  if (base[0] != '/' && getcwd (cwd, sizeof cwd) == NULL)
    return cdb_fail (s->err, errno, "spec: %s: getcwd", path);

  size = strlen (cwd) + strlen (base) + strlen (rel) + 3;
  *out = malloc (size);
  if (*out == NULL)
    return jpath_out_of_memory (s->err, path);

  snprintf (*out, size, "%s/%s/%s", cwd, base, rel);
  return 0;
}

static int
resolve_root_path (struct spec *s, json_t *value, const char *path)
{
  _cleanup_free_ char *joined = NULL;
  const char *text;
  char *root;

  if (value == NULL)
    return jpath_required (s->err, path);
  if (jpath_string (value, path, &text, s->err) < 0)
    return -1;
  if (text[0] == '\0')
    return jpath_expected (s->err, path, "a non-empty path");

  if (text[0] != '/' && join_base (s, text, path, &joined) < 0)
    return -1;

  if (normal_path (joined != NULL ? joined : text, path, &root, s->err) < 0)
    return -1;

  free (s->plan->root_path);
  s->plan->root_path = root;
  return 0;
}

static int
resolve_root_readonly (struct spec *s, json_t *value, const char *path)
{
  bool readonly = true;

  if (value == NULL)
    return 0;

  if (bool_value (value, path, &readonly, s->err) < 0)
    return -1;
  if (!readonly)
    return cdb_fail (s->err, 0,
                     "spec: %s: refused by the policy: the root is always "
                     "read-only",
                     path);
  return 0;
}

static const struct member root_members[] = {
  { "path", resolve_root_path },
  { "readonly", resolve_root_readonly },
  { NULL, NULL },
};

static int
resolve_root (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, root_members);
}

static int
resolve_hostname (struct spec *s, json_t *value, const char *path)
{
  const char *name;
  size_t len;

  if (value == NULL)
    return 0;

  if (jpath_string (value, path, &name, s->err) < 0)
    return -1;
  len = strlen (name);
  if (len == 0 || len > HOSTNAME_MAX || strspn (name, HOSTNAME_CHARS) != len)
    return jpath_expected (s->err, path, "1 to 64 letters, digits, '-' or '.'");

  if (replace_string (&s->plan->hostname, name) < 0)
    return jpath_out_of_memory (s->err, path);
  return 0;
}

/* --- mounts --------------------------------------------------------------- */

#define FOR_BIND (1u << CDB_MOUNT_BIND)
#define FOR_TMPFS (1u << CDB_MOUNT_TMPFS)

static const struct
{
  const char *name;
  unsigned int bit; /* OPT_*, 0 when the option changes nothing */
  unsigned int kinds;
} option_names[] = {
  { "bind", OPT_BIND, FOR_BIND },
  { "rbind", OPT_RBIND, FOR_BIND },
  { "ro", OPT_RO, FOR_BIND | FOR_TMPFS },
  { "rw", OPT_RW, FOR_BIND | FOR_TMPFS },
  { "nosuid", 0, FOR_BIND | FOR_TMPFS },
  { "nodev", 0, FOR_BIND | FOR_TMPFS },
  { "noexec", OPT_NOEXEC, FOR_BIND | FOR_TMPFS },
  { "exec", OPT_EXEC, FOR_BIND | FOR_TMPFS },
  /* The sandbox makes its whole mount tree private before it mounts
     anything, so no propagation can be asked for or changed. */
  { "private", 0, FOR_BIND },
  { "rprivate", 0, FOR_BIND },
  { "slave", 0, FOR_BIND },
  { "rslave", 0, FOR_BIND },
};

#define N_OPTION_NAMES (sizeof option_names / sizeof option_names[0])

static const char *
kind_name (enum cdb_mount_kind kind)
{
  return kind == CDB_MOUNT_BIND ? "bind" : "tmpfs";
}

/* Digits with an optional k, m or g (powers of 1024, as tmpfs reads them);
   a value too large for 64 bits saturates, and is refused as too large. */
static int
parse_size (const char *text, uint64_t *bytes)
{
  static const char units[] = "kKmMgG";
  uint64_t value = 0;
  uint64_t scale = 1;
  const char *p;

  for (p = text; *p >= '0' && *p <= '9'; p++)
    value = value > (UINT64_MAX - 9) / 10 ? UINT64_MAX
                                          : value * 10 + (uint64_t) (*p - '0');
  if (p == text)
    return -1;

  if (*p != '\0')
    {
      const char *unit = strchr (units, *p);

      if (unit == NULL || p[1] != '\0')
        return -1;
      scale = BIT (10 * (1 + (unit - units) / 2));
    }

  *bytes = value > UINT64_MAX / scale ? UINT64_MAX : value * scale;
  return 0;
}

/* tmpfs reads size=0 as "no limit" and size=N% as a share of the machine's
   memory; both let a service fill the host's memory, so only a non-zero
   absolute size within the policy's bound passes. */
static int
tmpfs_size (struct spec *s, const char *text, const char *path,
            struct mount_options *opts)
{
  uint64_t bytes;

  if (strchr (text, '%') != NULL)
    return cdb_fail (s->err, 0,
                     "spec: %s: a tmpfs must have a bounded size (a "
                     "percentage is refused by the policy)",
                     path);
  if (parse_size (text, &bytes) < 0)
    return jpath_expected (s->err, path, "size=N with an optional k, m or g");
  if (bytes == 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: a tmpfs must have a bounded size (size=0 "
                     "means unlimited)",
                     path);
  if (bytes > s->policy->tmpfs_max_bytes)
    return cdb_fail (
        s->err, 0,
        "spec: %s: size=%s is refused by the policy (at most %" PRIu64
        " bytes)",
        path, text, s->policy->tmpfs_max_bytes);

  opts->size = bytes;
  opts->seen |= OPT_SIZE;
  return 0;
}

static int
tmpfs_mode (struct spec *s, const char *text, const char *path,
            struct mount_options *opts)
{
  unsigned int mode = 0;
  const char *p;

  for (p = text; *p >= '0' && *p <= '7' && mode <= 07777; p++)
    mode = mode * 8 + (unsigned int) (*p - '0');
  if (p == text || *p != '\0' || mode > 07777)
    return jpath_expected (s->err, path, "mode=OCTAL from 0 to 7777");

  opts->mode = mode;
  opts->seen |= OPT_MODE;
  return 0;
}

static int
check_conflicts (struct spec *s, const struct mount_options *opts,
                 const char *path)
{
  if ((opts->seen & (OPT_RO | OPT_RW)) == (OPT_RO | OPT_RW))
    return cdb_fail (s->err, 0,
                     "spec: %s: \"ro\" and \"rw\" contradict each other", path);
  if ((opts->seen & (OPT_EXEC | OPT_NOEXEC)) == (OPT_EXEC | OPT_NOEXEC))
    return cdb_fail (s->err, 0,
                     "spec: %s: \"exec\" and \"noexec\" contradict each "
                     "other",
                     path);
  return 0;
}

static int
add_option (struct spec *s, const char *option, const char *path, void *data)
{
  struct mount_options *opts = data;
  size_t i;

  /* Every mount is nosuid and nodev: a set-id file or a device node
     from a bound directory is the classic way out of a sandbox. */
  if (strcmp (option, "suid") == 0 || strcmp (option, "dev") == 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: \"%s\" is refused by the policy (every "
                     "mount is nosuid and nodev)",
                     path, option);
  if (opts->kind == CDB_MOUNT_TMPFS && strncmp (option, "size=", 5) == 0)
    return tmpfs_size (s, option + 5, path, opts);
  if (opts->kind == CDB_MOUNT_TMPFS && strncmp (option, "mode=", 5) == 0)
    return tmpfs_mode (s, option + 5, path, opts);

  for (i = 0; i < N_OPTION_NAMES; i++)
    if (strcmp (option_names[i].name, option) == 0
        && (option_names[i].kinds & (1u << opts->kind)))
      break;
  if (i == N_OPTION_NAMES)
    return cdb_fail (s->err, 0,
                     "spec: %s: unsupported option \"%s\" for a %s mount", path,
                     option, kind_name (opts->kind));

  opts->seen |= option_names[i].bit;
  return check_conflicts (s, opts, path);
}

static int
mount_options (struct spec *s, json_t *entry, const char *path,
               struct mount_options *opts)
{
  json_t *value = json_object_get (entry, "options");
  char sub[JPATH_MAX];

  if (value == NULL)
    return 0;

  return each_string (s, value, jpath_key (sub, path, "options"), add_option,
                      opts);
}

/* The policy's tmp_options pass the same checks as a spec's options, so
   the default /tmp is exactly one that a spec could ask for. */
static int
parse_policy_tmp (struct spec *s)
{
  static const char label[] = "policy tmp_options";
  _cleanup_free_ char *copy = NULL;
  char *option;
  char *save;

  s->tmp.kind = CDB_MOUNT_TMPFS;
  s->tmp.mode = 01777;
  copy = strdup (s->policy->tmp_options != NULL ? s->policy->tmp_options : "");
  if (copy == NULL)
    return jpath_out_of_memory (s->err, label);

  for (option = strtok_r (copy, ",", &save); option != NULL;
       option = strtok_r (NULL, ",", &save))
    if (add_option (s, option, label, &s->tmp) < 0)
      return -1;

  if (!(s->tmp.seen & OPT_SIZE))
    return cdb_fail (s->err, 0, "spec: %s: a tmpfs must have a bounded size",
                     label);
  return 0;
}

static void
format_size (uint64_t bytes, char *buf, size_t size)
{
  static const char units[] = "gmk";
  unsigned int shift;

  for (shift = 30; shift > 0; shift -= 10)
    if (bytes % BIT (shift) == 0)
      {
        snprintf (buf, size, "%" PRIu64 "%c", bytes >> shift,
                  units[(30 - shift) / 10]);
        return;
      }
  snprintf (buf, size, "%" PRIu64, bytes);
}

/* The data string is "size=N[kmg],mode=OOOO", in that order, with the size
   in its largest exact unit, so that it reads the same after a round trip
   through cdb_plan_to_json(). */
static int
tmpfs_finish (struct spec *s, const struct mount_options *opts,
              const char *path, struct cdb_mount *mount)
{
  bool is_tmp = strcmp (mount->destination, "/tmp") == 0;
  uint64_t bytes = opts->seen & OPT_SIZE ? opts->size : s->tmp.size;
  unsigned int mode = is_tmp ? s->tmp.mode : 0755;
  char size[32];
  char data[64];

  if (opts->seen & OPT_MODE)
    mode = opts->mode;

  mount->kind = CDB_MOUNT_TMPFS;
  mount->flags = MS_NOSUID | MS_NODEV;
  if (!(opts->seen & OPT_EXEC))
    mount->flags |= MS_NOEXEC;
  if (opts->seen & OPT_RO)
    mount->flags |= MS_RDONLY;

  format_size (bytes, size, sizeof size);
  snprintf (data, sizeof data, "size=%s,mode=%04o", size, mode);
  mount->data = strdup (data);
  if (mount->data == NULL)
    return jpath_out_of_memory (s->err, path);
  return 0;
}

static int
tmpfs_mount (struct spec *s, json_t *entry, const char *path,
             struct cdb_mount *mount)
{
  struct mount_options opts = { .kind = CDB_MOUNT_TMPFS };
  json_t *source = json_object_get (entry, "source");
  char sub[JPATH_MAX];
  const char *ignored;

  if (source != NULL
      && jpath_string (source, jpath_key (sub, path, "source"), &ignored,
                       s->err)
             < 0)
    return -1;

  if (mount_options (s, entry, path, &opts) < 0)
    return -1;

  return tmpfs_finish (s, &opts, path, mount);
}

static int
bind_mount (struct spec *s, json_t *entry, const char *path,
            struct cdb_mount *mount)
{
  struct mount_options opts = { .kind = CDB_MOUNT_BIND };
  json_t *source = json_object_get (entry, "source");
  char sub[JPATH_MAX];
  const char *text;

  jpath_key (sub, path, "source");
  if (source == NULL)
    return jpath_required (s->err, sub);
  if (jpath_string (source, sub, &text, s->err) < 0)
    return -1;
  if (normal_path (text, sub, &mount->source, s->err) < 0)
    return -1;

  if (mount_options (s, entry, path, &opts) < 0)
    return -1;

  /* Omitting "ro" must not give a writable mount: "rw" is the only way. */
  mount->flags = MS_NOSUID | MS_NODEV;
  if (!(opts.seen & OPT_RW))
    mount->flags |= MS_RDONLY;
  if (opts.seen & OPT_NOEXEC)
    mount->flags |= MS_NOEXEC;
  if (opts.seen & OPT_RBIND)
    mount->flags |= MS_REC;
  return 0;
}

static bool
has_bind_option (json_t *entry)
{
  json_t *options = json_object_get (entry, "options");
  json_t *item;
  size_t i;

  json_array_foreach (options, i, item)
    {
      const char *option = json_string_value (item);

      if (option != NULL
          && (strcmp (option, "bind") == 0 || strcmp (option, "rbind") == 0))
        return true;
    }
  return false;
}

static int
mount_kind (struct spec *s, json_t *entry, const char *path,
            enum cdb_mount_kind *kind)
{
  json_t *value = json_object_get (entry, "type");
  const char *type = "none";
  char sub[JPATH_MAX];

  jpath_key (sub, path, "type");
  if (value != NULL && jpath_string (value, sub, &type, s->err) < 0)
    return -1;

  if (strcmp (type, "bind") == 0
      || (strcmp (type, "none") == 0 && has_bind_option (entry)))
    *kind = CDB_MOUNT_BIND;
  else if (strcmp (type, "tmpfs") == 0)
    *kind = CDB_MOUNT_TMPFS;
  else if (strcmp (type, "proc") == 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: \"proc\" mounts are provided by cdb-run", sub);
  else if (strcmp (type, "none") == 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: required: \"bind\" or \"tmpfs\" (or the "
                     "option \"bind\")",
                     sub);
  else
    return cdb_fail (s->err, 0,
                     "spec: %s: \"%s\" mounts are not supported (only bind "
                     "and tmpfs)",
                     sub, type);
  return 0;
}

/* cdb-run mounts /proc and a minimal /dev itself; a spec mount there
   would replace or shadow what the sandbox relies on. */
static const char *
provided_tree (const char *destination)
{
  if (is_under (destination, "/proc"))
    return "/proc";
  if (is_under (destination, "/dev"))
    return "/dev";
  return NULL;
}

static int
mount_destination (struct spec *s, json_t *value, const char *path,
                   struct cdb_mount *mount)
{
  const char *text;
  const char *tree;
  size_t i;

  if (value == NULL)
    return jpath_required (s->err, path);
  if (jpath_string (value, path, &text, s->err) < 0)
    return -1;
  if (normal_path (text, path, &mount->destination, s->err) < 0)
    return -1;

  if (strcmp (mount->destination, "/") == 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: a mount on / is refused (the root is "
                     "root.path)",
                     path);
  tree = provided_tree (mount->destination);
  if (tree != NULL)
    return cdb_fail (s->err, 0, "spec: %s: %s is provided by cdb-run", path,
                     tree);

  /* Until the mounts are sorted, plan index i is $.mounts[i]. */
  for (i = 0; i + 1 < s->plan->n_mounts; i++)
    if (strcmp (s->plan->mounts[i].destination, mount->destination) == 0)
      return cdb_fail (s->err, 0,
                       "spec: %s: %s is also the destination of "
                       "$.mounts[%zu]",
                       path, mount->destination, i);
  return 0;
}

/* Appends a zeroed entry that cdb_plan_free() will release, so that a
   mount left half filled by an error needs no cleanup of its own. */
static struct cdb_mount *
new_mount (struct cdb_plan *plan)
{
  struct cdb_mount *grown;

  grown = realloc (plan->mounts, (plan->n_mounts + 1) * sizeof *grown);
  if (grown == NULL)
    return NULL;

  plan->mounts = grown;
  memset (&grown[plan->n_mounts], 0, sizeof *grown);
  return &grown[plan->n_mounts++];
}

static int
add_mount (struct spec *s, json_t *entry, const char *path)
{
  struct cdb_mount *mount = new_mount (s->plan);
  char sub[JPATH_MAX];

  if (mount == NULL)
    return jpath_out_of_memory (s->err, path);

  if (mount_destination (s, json_object_get (entry, "destination"),
                         jpath_key (sub, path, "destination"), mount)
      < 0)
    return -1;

  if (mount_kind (s, entry, path, &mount->kind) < 0)
    return -1;

  if (mount->kind == CDB_MOUNT_TMPFS)
    return tmpfs_mount (s, entry, path, mount);

  /* The service's scratch space is always a fresh, size-limited tmpfs;
     a host directory there would be shared and unbounded. */
  if (strcmp (mount->destination, "/tmp") == 0)
    return cdb_fail (s->err, 0,
                     "spec: %s: /tmp is always a tmpfs (a bind mount there "
                     "is refused by the policy)",
                     jpath_key (sub, path, "type"));
  return bind_mount (s, entry, path, mount);
}

static const struct member mount_keys[] = {
  { "destination", NULL }, { "type", NULL }, { "source", NULL },
  { "options", NULL },     { NULL, NULL },
};

static int
resolve_mounts (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return each_object (s, value, path, mount_keys, add_mount);
}

static int
add_default_tmp (struct spec *s)
{
  struct cdb_mount *mount;
  size_t i;

  for (i = 0; i < s->plan->n_mounts; i++)
    if (strcmp (s->plan->mounts[i].destination, "/tmp") == 0)
      return 0;

  mount = new_mount (s->plan);
  if (mount == NULL)
    return jpath_out_of_memory (s->err, "$.mounts");

  mount->destination = strdup ("/tmp");
  if (mount->destination == NULL)
    return jpath_out_of_memory (s->err, "$.mounts");

  return tmpfs_finish (s, &s->tmp, "$.mounts", mount);
}

struct mount_rank
{
  size_t depth;
  size_t index;
};

static size_t
path_depth (const char *path)
{
  size_t depth = 0;

  for (; *path != '\0'; path++)
    depth += *path == '/';
  return depth;
}

static int
compare_rank (const void *a, const void *b)
{
  const struct mount_rank *x = a;
  const struct mount_rank *y = b;

  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* A mount hides whatever an earlier one put below its destination, so
   parents go first: by depth, and in spec order at equal depth. */
static int
sort_mounts (struct spec *s)
{
  struct cdb_plan *plan = s->plan;
  size_t n = plan->n_mounts;
  _cleanup_free_ struct mount_rank *rank = calloc (n, sizeof *rank);
  _cleanup_free_ struct cdb_mount *sorted = calloc (n, sizeof *sorted);
  size_t i;

  if (rank == NULL || sorted == NULL)
    return jpath_out_of_memory (s->err, "$.mounts");

  for (i = 0; i < n; i++)
    {
      rank[i].depth = path_depth (plan->mounts[i].destination);
      rank[i].index = i;
    }
  qsort (rank, n, sizeof *rank, compare_rank);

  for (i = 0; i < n; i++)
    sorted[i] = plan->mounts[rank[i].index];
  memcpy (plan->mounts, sorted, n * sizeof *sorted);
  return 0;
}

/* --- linux ---------------------------------------------------------------- */

const struct cdb_namespace_type cdb_namespace_types[] = {
  { "mount", 0 },
  { "pid", 0 },
  { "ipc", 0 },
  { "uts", 0 },
  { "network", CDB_NS_NETWORK },
  { "cgroup", CDB_NS_CGROUP },
  { "user", CDB_NS_USER },
  { NULL, 0 },
};

static int
add_namespace (struct spec *s, json_t *entry, const char *path)
{
  json_t *value = json_object_get (entry, "type");
  char sub[JPATH_MAX];
  const char *type;
  size_t i;

  if (json_object_get (entry, "path") != NULL)
    return cdb_fail (s->err, 0,
                     "spec: %s: joining an existing namespace is not "
                     "supported",
                     jpath_key (sub, path, "path"));

  jpath_key (sub, path, "type");
  if (value == NULL)
    return jpath_required (s->err, sub);
  if (jpath_string (value, sub, &type, s->err) < 0)
    return -1;

  for (i = 0; cdb_namespace_types[i].type != NULL; i++)
    if (strcmp (cdb_namespace_types[i].type, type) == 0)
      break;
  if (cdb_namespace_types[i].type == NULL)
    return cdb_fail (s->err, 0,
                     "spec: %s: unsupported namespace type "
                     "\"%s\"",
                     sub, type);
  if (s->namespaces_seen & (1u << i))
    return cdb_fail (s->err, 0, "spec: %s: the %s namespace is listed twice",
                     sub, type);

  s->namespaces_seen |= 1u << i;
  s->plan->namespaces |= cdb_namespace_types[i].flag;
  return 0;
}

static const struct member namespace_keys[] = {
  { "type", NULL },
  { "path", NULL },
  { NULL, NULL },
};

static int
resolve_namespaces (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return each_object (s, value, path, namespace_keys, add_namespace);
}

struct path_list
{
  char ***paths;
  size_t *n;
};

/* A path already in the list (a default, or one given twice) is skipped:
   listing it again changes nothing. */
static int
add_path (struct spec *s, const char *text, const char *path, void *data)
{
  struct path_list *list = data;
  _cleanup_free_ char *clean = NULL;

  if (normal_path (text, path, &clean, s->err) < 0)
    return -1;
  if (strcmp (clean, "/") == 0)
    return jpath_expected (s->err, path, "a path below /");

  if (strv_contains (*list->paths, clean))
    return 0;
  if (strv_append (list->paths, list->n, clean) < 0)
    return jpath_out_of_memory (s->err, path);
  return 0;
}

/* The spec's paths are added to the policy's, which are already in the
   plan: a spec can hide more, never less. */
static int
resolve_masked (struct spec *s, json_t *value, const char *path)
{
  struct path_list list = { &s->plan->masked_paths, &s->n_masked };

  if (value == NULL)
    return 0;

  return each_string (s, value, path, add_path, &list);
}

static int
resolve_readonly (struct spec *s, json_t *value, const char *path)
{
  struct path_list list = { &s->plan->readonly_paths, &s->n_readonly };

  if (value == NULL)
    return 0;

  return each_string (s, value, path, add_path, &list);
}

/* Real OCI members that this version cannot enforce: they are refused
   rather than ignored, since a spec that asks for limits must get them. */
static int
not_supported (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return cdb_fail (s->err, 0,
                   "spec: %s: not supported yet by this version of cdb-run",
                   path);
}

/* A Docker profile's includes.caps asks whether the plan grants a
   capability, so process.capabilities must be resolved by now: process
   comes before linux in document_members. */
static int
resolve_seccomp (struct spec *s, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return cdb_profile_resolve (value, path, &s->plan->caps, &s->plan->seccomp,
                              s->err);
}

/* --- resources ------------------------------------------------------------ */

/* A limit is -1, which turns it off (explicitly: an absent limit keeps
   the policy's default), or an integer from min to max. */
static int
limit_value (struct spec *s, json_t *value, const char *path, int64_t min,
             int64_t max, int64_t *out)
{
  json_int_t v;

  if (value == NULL)
    return 0;

  v = json_is_integer (value) ? json_integer_value (value) : 0;
  if (json_is_integer (value) && v == CDB_UNLIMITED)
    {
      *out = CDB_UNLIMITED;
      return 0;
    }
  if (v < min || v > max)
    return cdb_fail (s->err, 0,
                     "spec: %s: expected -1 (no limit) or an integer from "
                     "%" PRId64 " to %" PRId64,
                     path, min, max);

  *out = v;
  return 0;
}

#define BYTES_MAX (INT64_C (1) << 50)

/* Below a few MiB no Python service starts, and the kernel's own floor
   varies; 4 MiB makes a typo (a limit in MiB, not bytes) an error. */
static int
resolve_memory_limit (struct spec *s, json_t *value, const char *path)
{
  return limit_value (s, value, path, INT64_C (4) << 20, BYTES_MAX,
                      &s->plan->resources.memory_limit);
}

static int
resolve_memory_swap (struct spec *s, json_t *value, const char *path)
{
  s->swap_listed = value != NULL;
  return limit_value (s, value, path, INT64_C (4) << 20, BYTES_MAX,
                      &s->plan->resources.memory_swap);
}

static int
resolve_cpu_quota (struct spec *s, json_t *value, const char *path)
{
  return limit_value (s, value, path, 1000, INT64_C (1) << 40,
                      &s->plan->resources.cpu_quota);
}

/* The period is no limit, so it cannot be turned off. */
static int
resolve_cpu_period (struct spec *s, json_t *value, const char *path)
{
  json_int_t period = json_is_integer (value) ? json_integer_value (value) : 0;

  if (value == NULL)
    return 0;

  if (period < 1000 || period > 1000000)
    return cdb_fail (s->err, 0,
                     "spec: %s: expected an integer from 1000 to "
                     "1000000",
                     path);

  s->plan->resources.cpu_period = period;
  return 0;
}

/* Shares are a weight, no limit: there is nothing to turn off. */
static int
resolve_cpu_shares (struct spec *s, json_t *value, const char *path)
{
  json_int_t shares;

  if (value == NULL)
    return 0;

  if (jpath_integer (value, path, 2, 262144, &shares, s->err) < 0)
    return -1;
  s->plan->resources.cpu_shares = shares;
  return 0;
}

/* The sandbox's init and the service are two tasks already. */
static int
resolve_pids_limit (struct spec *s, json_t *value, const char *path)
{
  return limit_value (s, value, path, 2, INT64_C (1) << 22,
                      &s->plan->resources.pids_limit);
}

static const struct member memory_members[] = {
  { "limit", resolve_memory_limit },      { "swap", resolve_memory_swap },
  { "reservation", not_supported },       { "kernel", not_supported },
  { "kernelTCP", not_supported },         { "swappiness", not_supported },
  { "disableOOMKiller", not_supported },  { "useHierarchy", not_supported },
  { "checkBeforeUpdate", not_supported }, { NULL, NULL },
};

/* OCI's swap is memory and swap together: equal to the limit means no
   swap, which is what a service gets unless its spec says otherwise. */
static int
resolve_memory (struct spec *s, json_t *value, const char *path)
{
  struct cdb_resources *r = &s->plan->resources;
  char sub[JPATH_MAX];

  if (resolve_members (s, value, path, memory_members) < 0)
    return -1;

  if (!s->swap_listed)
    r->memory_swap = r->memory_limit;

  jpath_key (sub, path, "swap");
  if (r->memory_limit == CDB_UNLIMITED && r->memory_swap != CDB_UNLIMITED)
    return cdb_fail (s->err, 0,
                     "spec: %s: a swap limit needs a memory "
                     "limit",
                     sub);
  if (r->memory_swap != CDB_UNLIMITED && r->memory_swap < r->memory_limit)
    return cdb_fail (s->err, 0,
                     "spec: %s: memory and swap together cannot "
                     "be less than the memory limit",
                     sub);
  return 0;
}

static const struct member cpu_members[] = {
  { "quota", resolve_cpu_quota },
  { "period", resolve_cpu_period },
  { "shares", resolve_cpu_shares },
  { "realtimeRuntime", not_supported },
  { "realtimePeriod", not_supported },
  { "cpus", not_supported },
  { "mems", not_supported },
  { "idle", not_supported },
  { NULL, NULL },
};

static int
resolve_cpu (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, cpu_members);
}

static const struct member pids_members[] = {
  { "limit", resolve_pids_limit },
  { NULL, NULL },
};

static int
resolve_pids (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, pids_members);
}

static const struct member resources_members[] = {
  { "memory", resolve_memory }, { "cpu", resolve_cpu },
  { "pids", resolve_pids },     { "devices", not_supported },
  { "blockIO", not_supported }, { "hugepageLimits", not_supported },
  { "network", not_supported }, { "rdma", not_supported },
  { "unified", not_supported }, { NULL, NULL },
};

static int
resolve_resources (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, resources_members);
}

static const struct member linux_members[] = {
  { "namespaces", resolve_namespaces },  { "maskedPaths", resolve_masked },
  { "readonlyPaths", resolve_readonly }, { "resources", resolve_resources },
  { "seccomp", resolve_seccomp },        { NULL, NULL },
};

static int
resolve_linux (struct spec *s, json_t *value, const char *path)
{
  return resolve_members (s, value, path, linux_members);
}

/* --- the document --------------------------------------------------------- */

static int
resolve_version (struct spec *s, json_t *value, const char *path)
{
  const char *ignored;

  if (value == NULL)
    return 0;

  return jpath_string (value, path, &ignored, s->err);
}

#define ANNOTATION_PREFIX "cdb-run."
#define STOP_TIMEOUT_MAX 3600

/* Annotations are free for tools to use, but those named "cdb-run." are
   cdb-run's own settings; one it does not know is an error, like any
   unknown key. */
static int
resolve_own_annotation (struct spec *s, const char *key, const char *text,
                        const char *path)
{
  char *end;
  long seconds;

  if (strcmp (key, ANNOTATION_PREFIX "stop-timeout") != 0)
    return cdb_fail (s->err, 0, "spec: %s: unknown cdb-run annotation", path);

  errno = 0;
  seconds = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || seconds < 0
      || seconds > STOP_TIMEOUT_MAX)
    return cdb_fail (s->err, 0,
                     "spec: %s: expected a number of seconds from 0 to %d",
                     path, STOP_TIMEOUT_MAX);

  s->plan->stop_timeout = (unsigned int) seconds;
  return 0;
}

static int
resolve_annotations (struct spec *s, json_t *value, const char *path)
{
  char sub[JPATH_MAX];
  const char *key;
  json_t *item;

  if (value == NULL)
    return 0;
  if (!json_is_object (value))
    return jpath_expected (s->err, path, "an object of strings");

  json_object_foreach (value, key, item)
    {
      const char *text;

      if (jpath_string (item, jpath_key (sub, path, key), &text, s->err) < 0)
        return -1;

      if (strncmp (key, ANNOTATION_PREFIX, strlen (ANNOTATION_PREFIX)) == 0
          && resolve_own_annotation (s, key, text, sub) < 0)
        return -1;
    }
  return 0;
}

/* Resolved in this order, whatever the order of the file: linux.seccomp
   reads the capabilities that process grants. */
static const struct member document_members[] = {
  { "ociVersion", resolve_version },
  { "process", resolve_process },
  { "root", resolve_root },
  { "hostname", resolve_hostname },
  { "mounts", resolve_mounts },
  { "linux", resolve_linux },
  { "annotations", resolve_annotations },
  { NULL, NULL },
};

static int
policy_defaults (struct spec *s)
{
  const struct cdb_policy *policy = s->policy;
  struct cdb_plan *plan = s->plan;
  const struct cdb_rlimit core = { RLIMIT_CORE, 0, 0 };
  const struct cdb_rlimit nofile
      = { RLIMIT_NOFILE, policy->default_nofile, policy->default_nofile };

  plan->resources = (struct cdb_resources){
    .memory_limit = policy->default_memory,
    .memory_swap = policy->default_memory,
    .cpu_quota = policy->default_cpu_quota,
    .cpu_period = policy->default_cpu_period,
    .pids_limit = policy->default_pids,
  };

  plan->stop_timeout = policy->default_stop_timeout;
  plan->uid = policy->default_uid;
  plan->gid = policy->default_gid;
  plan->umask = policy->default_umask;

  if (replace_string (&plan->cwd, "/") < 0
      || replace_string (&plan->hostname, policy->default_hostname) < 0
      || env_default (s, "PATH", policy->default_path) < 0
      || env_default (s, "HOME", policy->default_home) < 0
      || env_default (s, "PYTHONDONTWRITEBYTECODE", "1") < 0
      || env_default (s, "PYTHONUNBUFFERED", "1") < 0
      || rlimit_set (plan, &core) < 0 || rlimit_set (plan, &nofile) < 0
      || strv_extend (&plan->masked_paths, &s->n_masked, policy->masked_paths)
             < 0
      || strv_extend (&plan->readonly_paths, &s->n_readonly,
                      policy->readonly_paths)
             < 0)
    return jpath_out_of_memory (s->err, "$");

  return parse_policy_tmp (s);
}

static int
resolve_document (struct spec *s, json_t *doc)
{
  if (!json_is_object (doc))
    return jpath_expected (s->err, "$", "a JSON object");

  if (policy_defaults (s) < 0)
    return -1;

  if (resolve_members (s, doc, "$", document_members) < 0)
    return -1;

  if (add_default_tmp (s) < 0)
    return -1;

  return sort_mounts (s);
}

int
cdb_spec_resolve (json_t *doc, const char *base_dir,
                  const struct cdb_policy *policy, struct cdb_plan *plan,
                  struct cdb_error *err)
{
  struct spec s = {
    .policy = policy,
    .base_dir = base_dir,
    .plan = plan,
    .err = err,
  };

  memset (plan, 0, sizeof *plan);
  if (resolve_document (&s, doc) == 0)
    return 0;

  cdb_plan_free (plan);
  return one_line (err);
}

/* --- files ---------------------------------------------------------------- */

/* The file is opened here rather than by json_load_file(), so that a
   failure to open it reports the system's reason. Any readable file but
   a directory will do: a spec may come through a pipe. */
/* A spec is a few kilobytes; the bound keeps an endless stream or a huge
   file from eating memory. */
#define SPEC_SIZE_MAX (4 << 20)

static int
read_all (int fd, const char *path, char **text, size_t *len,
          struct cdb_error *err)
{
  size_t size = 0, cap = 0;
  char *buf = NULL;
  ssize_t n;

  do
    {
      if (size == cap)
        {
          char *bigger
              = cap < SPEC_SIZE_MAX ? realloc (buf, cap + 65536) : NULL;

          if (bigger == NULL)
            {
              free (buf);
              return cdb_fail (err, cap < SPEC_SIZE_MAX ? ENOMEM : EFBIG,
                               "spec: read %s (at most %d bytes)", path,
                               SPEC_SIZE_MAX);
            }
          buf = bigger;
          cap += 65536;
        }
      n = read (fd, buf + size, cap - size);
      if (n > 0)
        size += (size_t) n;
    }
  while (n > 0 || (n < 0 && errno == EINTR));

  if (n < 0)
    {
      free (buf);
      return cdb_fail (err, errno, "spec: read %s", path);
    }

  *text = buf;
  *len = size;
  return 0;
}

static int
read_document (const char *path, json_t **doc, struct cdb_error *err)
{
  _cleanup_close_ int fd = -1;
  _cleanup_free_ char *text = NULL;
  json_error_t error;
  struct stat st;
  size_t len = 0;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return cdb_fail (err, errno, "spec: open %s", path);

  if (fstat (fd, &st) < 0)
    return cdb_fail (err, errno, "spec: stat %s", path);
  if (S_ISDIR (st.st_mode))
    return cdb_fail (err, EISDIR, "spec: open %s", path);

  if (read_all (fd, path, &text, &len, err) < 0)
    return -1;

  /* A key given twice would leave it to the parser which one counts. */
  *doc = json_loadb (text, len, JSON_REJECT_DUPLICATES, &error);
  if (*doc == NULL)
    return cdb_fail (err, 0, "spec: %s:%d:%d: parse error: %s", path,
                     error.line, error.column, error.text);
  return 0;
}

/* The directory is made absolute and free of symlinks and "..", so that
   the root it gives does not change with the working directory. */
static int
spec_dir (const char *path, char **out, struct cdb_error *err)
{
  _cleanup_free_ char *copy = strdup (path);
  const char *dir;

  if (copy == NULL)
    return cdb_fail (err, ENOMEM, "spec: %s", path);

  dir = dirname (copy);
  *out = realpath (dir, NULL);
  if (*out == NULL)
    return cdb_fail (err, errno, "spec: realpath %s", dir);
  return 0;
}

int
cdb_spec_load (const char *path, const struct cdb_policy *policy,
               struct cdb_plan *plan, struct cdb_error *err)
{
  _cleanup_json_ json_t *doc = NULL;
  _cleanup_free_ char *dir = NULL;

  memset (plan, 0, sizeof *plan);
  if (read_document (path, &doc, err) < 0)
    return one_line (err);

  if (spec_dir (path, &dir, err) < 0)
    return one_line (err);

  return cdb_spec_resolve (doc, dir, policy, plan, err);
}

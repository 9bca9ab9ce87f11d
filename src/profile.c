/* SPDX-License-Identifier: MIT */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "profile.h"

#include <cap-ng.h>
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cleanup.h"
#include "json-path.h"
#include "strv.h"
#include "spec.h"

/*
 * A profile is walked like the rest of the spec: every object has a list
 * of its keys, a key not in it is an error naming its JSON path, and every
 * value is checked before it is used. Docker's conditions are decided as
 * the walk goes, so the plan holds only the rules that apply here; a rule
 * that does not apply is still checked, so that a mistake in it shows on
 * every machine, not only on the one where it would count.
 */

/* Room for any path built here, as in spec.c: a key is cut to JKEY_MAX
   characters, and no array is longer than CDB_SPEC_MAX_ITEMS. */

/* The kernel's MAX_ERRNO: a filter's return value above it is not read as
   an error by the C library. */
#define ERRNO_MAX 4095

/* The number of system call arguments the kernel passes to a filter. */
#define ARGS_MAX 6

/* SCMP_ACT_ERRNO (n) and SCMP_ACT_TRACE (n) keep n in these bits. */
#define ACTION_DATA 0x0000ffffU

#define BIT(n) (UINT64_C (1) << (n))

#if JSON_INTEGER_IS_LONG_LONG
#define JSON_INT_MAX LLONG_MAX
#else
#define JSON_INT_MAX LONG_MAX
#endif

struct walk
{
  struct cdb_error *err;
  uint64_t bounding; /* the plan's bounding set, for includes.caps */
  const struct cdb_profile_host *host;
  struct cdb_seccomp_profile *profile;
  size_t n_names; /* in all rules so far */
};

/* libseccomp's compile time grows faster than the number of rules, and
   the kernel takes at most 4096 instructions: a profile naming more
   calls than this, all rules together, is refused before either is
   reached. Podman's own profile names about 400. */
#define PROFILE_NAMES_MAX 2048

typedef int string_fn (struct walk *w, const char *text, const char *path,
                       void *data);
typedef int object_fn (struct walk *w, json_t *obj, const char *path,
                       void *data);

/* --- names ---------------------------------------------------------------- */

static const struct action
{
  const char *name;
  uint32_t value; /* with a number: the action with 0 */
  bool numbered;  /* takes errnoRet */
} actions[] = {
  /* The first of two names for one value is the one printed. */
  { "SCMP_ACT_KILL", SCMP_ACT_KILL, false },
  { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
  { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
  { "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
  { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO (0), true },
  { "SCMP_ACT_TRACE", SCMP_ACT_TRACE (0), true },
  { "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
  { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
};

#define N_ACTIONS (sizeof actions / sizeof actions[0])

static const struct action *
action_by_name (const char *name)
{
  size_t i;

  for (i = 0; i < N_ACTIONS; i++)
    if (strcmp (actions[i].name, name) == 0)
      return &actions[i];
  return NULL;
}

static const struct action *
action_by_value (uint32_t action)
{
  size_t i;

  for (i = 0; i < N_ACTIONS; i++)
    {
      uint32_t mask = actions[i].numbered ? ~ACTION_DATA : ~0U;

      if ((action & mask) == actions[i].value)
        return &actions[i];
    }
  return NULL;
}

const char *
cdb_profile_action_name (uint32_t action)
{
  const struct action *a = action_by_value (action);

  return a != NULL ? a->name : NULL;
}

static const struct
{
  const char *name;  /* libseccomp's, and the SCMP_ARCH_ name in lower case */
  const char *go;    /* Go's GOARCH, as includes.arches lists it */
  const char *alias; /* another name profiles use, or NULL */
} arch_names[] = {
  /* Podman's profile says "x86" where Go says "386". */
  { "x86", "386", "x86" },
  { "x86_64", "amd64", NULL },
  { "x32", "x32", NULL },
  { "arm", "arm", NULL },
  { "aarch64", "arm64", NULL },
  { "mips", "mips", NULL },
  { "mipsel", "mipsle", NULL },
  { "mips64", "mips64", NULL },
  { "mipsel64", "mips64le", NULL },
  { "mips64n32", "mips64p32", NULL },
  { "mipsel64n32", "mips64p32le", NULL },
  { "ppc", "ppc", NULL },
  { "ppc64", "ppc64", NULL },
  { "ppc64le", "ppc64le", NULL },
  { "s390", "s390", NULL },
  { "s390x", "s390x", NULL },
  { "parisc", "parisc", NULL },
  { "parisc64", "parisc64", NULL },
  { "riscv64", "riscv64", NULL },
  { "loongarch64", "loong64", NULL },
};

#define N_ARCH_NAMES (sizeof arch_names / sizeof arch_names[0])

static const char *
arch_spelling (size_t i, char *buf)
{
  char *c;

  snprintf (buf, CDB_ARCH_NAME_MAX, "SCMP_ARCH_%s", arch_names[i].name);
  for (c = buf; *c != '\0'; c++)
    if (*c >= 'a' && *c <= 'z')
      *c = (char) (*c - 'a' + 'A');
  return buf;
}

/* An architecture this libseccomp does not know resolves to 0, so such a
   name is never one of this machine's. */
static size_t
arch_index (uint32_t arch)
{
  size_t i;

  for (i = 0; i < N_ARCH_NAMES; i++)
    if (arch != 0 && seccomp_arch_resolve_name (arch_names[i].name) == arch)
      return i;
  return N_ARCH_NAMES;
}

/* The token of e.g. "SCMP_ARCH_X86_64", or 0 when libseccomp has none. */
static uint32_t
arch_token (const char *text)
{
  char name[CDB_ARCH_NAME_MAX];
  size_t i;

  for (i = 0; i < N_ARCH_NAMES; i++)
    if (strcmp (arch_spelling (i, name), text) == 0)
      return seccomp_arch_resolve_name (arch_names[i].name);
  return 0;
}

const char *
cdb_profile_arch_name (uint32_t arch, char *buf)
{
  size_t i = arch_index (arch);

  return i < N_ARCH_NAMES ? arch_spelling (i, buf) : NULL;
}

static bool
is_go_arch (uint32_t arch, const char *name)
{
  size_t i = arch_index (arch);

  if (i == N_ARCH_NAMES)
    return false;
  return strcmp (arch_names[i].go, name) == 0
         || (arch_names[i].alias != NULL
             && strcmp (arch_names[i].alias, name) == 0);
}

static const struct
{
  const char *name;
  int op;
} op_names[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE },
  { "SCMP_CMP_LT", SCMP_CMP_LT },
  { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  { "SCMP_CMP_GE", SCMP_CMP_GE },
  { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

#define N_OP_NAMES (sizeof op_names / sizeof op_names[0])

static const char *
op_name (int op)
{
  size_t i;

  for (i = 0; i < N_OP_NAMES; i++)
    if (op_names[i].op == op)
      return op_names[i].name;
  return NULL;
}

/* glibc names each errno number but not the other way round; these are
   its second names for numbers that have two. */
static int
errno_number (const char *name)
{
  static const char *const aliases[][2] = {
    { "EWOULDBLOCK", "EAGAIN" },
    { "EDEADLOCK", "EDEADLK" },
    { "ENOTSUP", "EOPNOTSUPP" },
  };
  size_t i;
  int n;

  for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp (aliases[i][0], name) == 0)
      name = aliases[i][1];

  for (n = 1; n <= ERRNO_MAX; n++)
    {
      const char *known = strerrorname_np (n);

      if (known != NULL && strcmp (known, name) == 0)
        return n;
    }
  return -1;
}

/* Reads "MAJOR.MINOR" at the start of text and points *end after it. */
static int
version_prefix (const char *text, unsigned int version[2], char **end)
{
  unsigned long major;
  unsigned long minor;

  if (text[0] < '0' || text[0] > '9')
    return -1;
  errno = 0;
  major = strtoul (text, end, 10);
  if (**end != '.' || (*end)[1] < '0' || (*end)[1] > '9')
    return -1;
  minor = strtoul (*end + 1, end, 10);
  if (errno != 0 || major > UINT_MAX || minor > UINT_MAX)
    return -1;

  version[0] = (unsigned int) major;
  version[1] = (unsigned int) minor;
  return 0;
}

/* --- paths, errors and JSON values ---------------------------------------- */

/* Docker and Podman read profiles with Go's decoder, which takes null for
   an absent member; Podman's own profile writes "args": null. */
static json_t *
member (json_t *obj, const char *key)
{
  json_t *value = json_object_get (obj, key);

  return json_is_null (value) ? NULL : value;
}

static bool
key_is_known (const char *const *keys, const char *key)
{
  for (; *keys != NULL; keys++)
    if (strcmp (*keys, key) == 0)
      return true;
  return false;
}

static int
object_value (json_t *obj, const char *path, const char *const *keys,
              struct cdb_error *err)
{
  char sub[JPATH_MAX];
  void *iter;

  if (!json_is_object (obj))
    return jpath_expected (err, path, "an object");

  for (iter = json_object_iter (obj); iter != NULL;
       iter = json_object_iter_next (obj, iter))
    {
      const char *key = json_object_iter_key (iter);

      if (!jpath_key_is_clean (iter, key) || !key_is_known (keys, key))
        return cdb_fail (err, 0, "spec: %s: unknown key",
                         jpath_key (sub, path, key));
    }
  return 0;
}

static int
each_string (struct walk *w, json_t *array, const char *path, string_fn *fn,
             void *data)
{
  char sub[JPATH_MAX];
  json_t *item;
  size_t i;

  if (jpath_array (array, path, "an array of strings", w->err) < 0)
    return -1;

  json_array_foreach (array, i, item)
    {
      const char *text;

      jpath_index (sub, path, i);
      if (jpath_string (item, sub, &text, w->err) < 0)
        return -1;
      if (fn (w, text, sub, data) < 0)
        return -1;
    }
  return 0;
}

static int
each_object (struct walk *w, json_t *array, const char *path,
             const char *const *keys, object_fn *fn, void *data)
{
  char sub[JPATH_MAX];
  json_t *item;
  size_t i;

  if (jpath_array (array, path, "an array of objects", w->err) < 0)
    return -1;

  json_array_foreach (array, i, item)
    {
      jpath_index (sub, path, i);
      if (object_value (item, sub, keys, w->err) < 0)
        return -1;
      if (fn (w, item, sub, data) < 0)
        return -1;
    }
  return 0;
}

/* --- the profile in memory ------------------------------------------------ */

static void
rule_clear (struct cdb_seccomp_rule *rule)
{
  strv_free (rule->names);
  free (rule->args);
  memset (rule, 0, sizeof *rule);
}

void
cdb_profile_free (struct cdb_seccomp_profile *profile)
{
  size_t i;

  if (profile == NULL)
    return;

  for (i = 0; i < profile->n_rules; i++)
    rule_clear (&profile->rules[i]);
  free (profile->rules);
  free (profile->arches);
  free (profile);
}

static void
profile_freep (struct cdb_seccomp_profile **profile)
{
  cdb_profile_free (*profile);
}

#define _cleanup_rule_ __attribute__ ((cleanup (rule_clear)))
#define _cleanup_profile_ __attribute__ ((cleanup (profile_freep)))

/* libseccomp answers -EEXIST for an architecture added twice; keeping
   each once spares the loader that case. */
static int
add_arch (struct cdb_seccomp_profile *profile, uint32_t arch)
{
  uint32_t *grown;
  size_t i;

  for (i = 0; i < profile->n_arches; i++)
    if (profile->arches[i] == arch)
      return 0;

  grown = realloc (profile->arches, (profile->n_arches + 1) * sizeof *grown);
  if (grown == NULL)
    return -1;

  grown[profile->n_arches++] = arch;
  profile->arches = grown;
  return 0;
}

/* Moves the rule into the profile, leaving it empty. */
static int
add_rule (struct cdb_seccomp_profile *profile, struct cdb_seccomp_rule *rule)
{
  struct cdb_seccomp_rule *grown;

  grown = realloc (profile->rules, (profile->n_rules + 1) * sizeof *grown);
  if (grown == NULL)
    return -1;

  grown[profile->n_rules++] = *rule;
  profile->rules = grown;
  memset (rule, 0, sizeof *rule);
  return 0;
}

/* --- actions -------------------------------------------------------------- */

/* The members that make one action: defaultAction, defaultErrnoRet and
   defaultErrno for the profile, action, errnoRet and errno for a rule. */
struct action_keys
{
  const char *action; /* e.g. "SCMP_ACT_ERRNO" */
  const char *ret;    /* its number, e.g. 38 */
  const char *name;   /* Podman's name for that number, e.g. "ENOSYS" */
};

static const struct action_keys default_action_keys
    = { "defaultAction", "defaultErrnoRet", "defaultErrno" };
static const struct action_keys rule_action_keys
    = { "action", "errnoRet", "errno" };

static int
action_kind (struct walk *w, json_t *value, const char *path,
             const struct action **out)
{
  const char *name;

  if (value == NULL)
    return jpath_required (w->err, path);
  if (jpath_string (value, path, &name, w->err) < 0)
    return -1;

  *out = action_by_name (name);
  if (strcmp (name, "SCMP_ACT_NOTIFY") == 0)
    return cdb_fail (w->err, 0,
                     "spec: %s: SCMP_ACT_NOTIFY is not supported (cdb-run "
                     "runs no seccomp agent)",
                     path);
  if (*out == NULL)
    return cdb_fail (w->err, 0, "spec: %s: unknown action \"%s\"", path, name);
  return 0;
}

static int
ret_number (struct walk *w, json_t *value, const char *path, unsigned int *ret)
{
  json_int_t number = 0;

  if (jpath_integer (value, path, 1, ERRNO_MAX, &number, w->err) < 0)
    return -1;

  *ret = (unsigned int) number;
  return 0;
}

/* Given both, the name and the number must agree: which one counts would
   otherwise be a guess. */
static int
ret_name (struct walk *w, json_t *value, const char *path,
          const char *number_key, bool has_number, unsigned int *ret)
{
  const char *name;
  int number;

  if (jpath_string (value, path, &name, w->err) < 0)
    return -1;

  number = errno_number (name);
  if (number < 0)
    return cdb_fail (w->err, 0, "spec: %s: unknown errno name \"%s\"", path,
                     name);
  if (has_number && (unsigned int) number != *ret)
    return cdb_fail (w->err, 0, "spec: %s: %s is %d, but %s is %u", path, name,
                     number, number_key, *ret);

  *ret = (unsigned int) number;
  return 0;
}

/* OCI: "When the action doesn't support an errno, the runtime MUST print
   an error and fail". The number defaults to EPERM, as OCI says, for
   SCMP_ACT_TRACE too, where it is the message a tracer reads. */
static int
action_ret (struct walk *w, json_t *obj, const char *path,
            const struct action_keys *keys, const struct action *kind,
            unsigned int *ret)
{
  json_t *number = member (obj, keys->ret);
  json_t *name = member (obj, keys->name);
  char sub[JPATH_MAX];

  *ret = EPERM;
  if ((number != NULL || name != NULL) && !kind->numbered)
    return cdb_fail (
        w->err, 0,
        "spec: %s: %s returns no errno (only SCMP_ACT_ERRNO and "
        "SCMP_ACT_TRACE do)",
        jpath_key (sub, path, number != NULL ? keys->ret : keys->name),
        kind->name);

  if (number != NULL
      && ret_number (w, number, jpath_key (sub, path, keys->ret), ret) < 0)
    return -1;

  if (name != NULL
      && ret_name (w, name, jpath_key (sub, path, keys->name), keys->ret,
                   number != NULL, ret)
             < 0)
    return -1;
  return 0;
}

static int
parse_action (struct walk *w, json_t *obj, const char *path,
              const struct action_keys *keys, uint32_t *out)
{
  const struct action *kind = NULL;
  char sub[JPATH_MAX];
  unsigned int ret = 0;

  if (action_kind (w, member (obj, keys->action),
                   jpath_key (sub, path, keys->action), &kind)
      < 0)
    return -1;

  if (action_ret (w, obj, path, keys, kind, &ret) < 0)
    return -1;

  *out = kind->numbered ? kind->value | ret : kind->value;
  return 0;
}

/* --- architectures -------------------------------------------------------- */

static int
add_listed_arch (struct walk *w, const char *text, const char *path, void *data)
{
  uint32_t arch = arch_token (text);

  (void) data;
  if (arch == 0)
    return cdb_fail (w->err, 0, "spec: %s: unknown architecture \"%s\"", path,
                     text);

  if (add_arch (w->profile, arch) < 0)
    return jpath_out_of_memory (w->err, path);
  return 0;
}

/* An archMap entry for another machine may name an architecture that
   this libseccomp does not know yet; only its spelling is checked. */
static int
check_arch_spelling (struct walk *w, const char *text, const char *path,
                     void *data)
{
  (void) data;
  if (strncmp (text, "SCMP_ARCH_", 10) != 0 || text[10] == '\0')
    return jpath_expected (w->err, path, "an SCMP_ARCH_ name");
  return 0;
}

static const char *const arch_map_keys[] = {
  "architecture",
  "subArchitectures",
  NULL,
};

/* Docker's archMap: the entry for this machine gives its architecture and
   the ones it also runs (x86 and x32 beside x86_64). */
static int
arch_map_entry (struct walk *w, json_t *entry, const char *path, void *data)
{
  json_t *arch = member (entry, "architecture");
  json_t *subs = member (entry, "subArchitectures");
  char sub[JPATH_MAX];
  const char *text;
  bool native;

  (void) data;
  jpath_key (sub, path, "architecture");
  if (arch == NULL)
    return jpath_required (w->err, sub);
  if (jpath_string (arch, sub, &text, w->err) < 0)
    return -1;
  if (check_arch_spelling (w, text, sub, NULL) < 0)
    return -1;

  native = arch_token (text) == w->host->arch;
  if (native && add_arch (w->profile, w->host->arch) < 0)
    return jpath_out_of_memory (w->err, sub);

  if (subs == NULL)
    return 0;
  return each_string (w, subs, jpath_key (sub, path, "subArchitectures"),
                      native ? add_listed_arch : check_arch_spelling, NULL);
}

/* With neither member, or no archMap entry for this machine, the filter
   has the native architecture only. */
static int
resolve_arches (struct walk *w, json_t *obj, const char *path)
{
  json_t *list = member (obj, "architectures");
  json_t *map = member (obj, "archMap");
  char sub[JPATH_MAX];

  if (list != NULL
      && each_string (w, list, jpath_key (sub, path, "architectures"),
                      add_listed_arch, NULL)
             < 0)
    return -1;

  /* Docker refuses two lists as well: which one counts would be a guess.
     An empty one, which Go writes for a list never set, is no list. */
  jpath_key (sub, path, "archMap");
  if (json_array_size (list) > 0 && json_array_size (map) > 0)
    return cdb_fail (w->err, 0,
                     "spec: %s: give either architectures or archMap, not "
                     "both",
                     sub);

  if (map == NULL)
    return 0;
  return each_object (w, map, sub, arch_map_keys, arch_map_entry, NULL);
}

/* --- flags and listener --------------------------------------------------- */

static int
add_flag (struct walk *w, const char *text, const char *path, void *data)
{
  (void) data;
  if (strcmp (text, "SECCOMP_FILTER_FLAG_LOG") == 0)
    w->profile->log = true;
  else if (strcmp (text, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
    w->profile->spec_allow = true;
  /* The sandbox has a single thread when it loads the filter, so there
     are no other threads to synchronise. */
  else if (strcmp (text, "SECCOMP_FILTER_FLAG_TSYNC") != 0)
    return cdb_fail (w->err, 0, "spec: %s: unsupported flag \"%s\"", path,
                     text);
  return 0;
}

static int
resolve_flags (struct walk *w, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return each_string (w, value, path, add_flag, NULL);
}

/* A listener hands decisions to an agent outside the sandbox; cdb-run
   has none, and a profile that counts on one must not run without it. */
static int
refuse_listener (struct walk *w, json_t *obj, const char *path)
{
  static const char *const keys[] = { "listenerPath", "listenerMetadata" };
  char sub[JPATH_MAX];
  size_t i;

  for (i = 0; i < 2; i++)
    if (member (obj, keys[i]) != NULL)
      return cdb_fail (w->err, 0,
                       "spec: %s: not supported (cdb-run runs no seccomp "
                       "agent)",
                       jpath_key (sub, path, keys[i]));
  return 0;
}

/* --- includes and excludes ------------------------------------------------ */

/* Docker's reading: a rule applies when every condition of includes holds
   and no condition of excludes does. A list of capabilities is one
   condition per capability, so includes asks for all of them and excludes
   for any; an empty list is no condition at all. */
struct condition
{
  bool all;   /* includes: every condition; excludes: any one */
  bool holds; /* the answer so far */
};

static void
condition_add (struct condition *c, bool holds)
{
  c->holds = c->all ? c->holds && holds : c->holds || holds;
}

static int
add_cap_condition (struct walk *w, const char *name, const char *path,
                   void *data)
{
  int cap = cdb_spec_cap_number (name);

  if (cap < 0)
    return cdb_fail (w->err, 0, "spec: %s: unknown capability \"%s\"", path,
                     name);

  condition_add (data, (w->bounding & BIT (cap)) != 0);
  return 0;
}

/* Names of other architectures are not checked: any Go or Podman name may
   appear, and only this machine's matters. */
static int
match_arch (struct walk *w, const char *name, const char *path, void *data)
{
  bool *listed = data;

  (void) path;
  *listed = *listed || is_go_arch (w->host->arch, name);
  return 0;
}

static int
arch_condition (struct walk *w, json_t *value, const char *path,
                struct condition *c)
{
  bool listed = false;

  if (value == NULL)
    return 0;
  if (each_string (w, value, path, match_arch, &listed) < 0)
    return -1;

  if (json_array_size (value) > 0)
    condition_add (c, listed);
  return 0;
}

static int
kernel_condition (struct walk *w, json_t *value, const char *path,
                  struct condition *c)
{
  const unsigned int *kernel = w->host->kernel;
  unsigned int version[2];
  const char *text;
  char *end;

  if (value == NULL)
    return 0;
  if (jpath_string (value, path, &text, w->err) < 0)
    return -1;
  if (version_prefix (text, version, &end) < 0 || *end != '\0')
    return jpath_expected (w->err, path, "a kernel version \"MAJOR.MINOR\"");

  condition_add (c,
                 kernel[0] > version[0]
                     || (kernel[0] == version[0] && kernel[1] >= version[1]));
  return 0;
}

static const char *const condition_keys[] = {
  "caps",
  "arches",
  "minKernel",
  NULL,
};

static int
resolve_condition (struct walk *w, json_t *value, const char *path,
                   struct condition *c)
{
  json_t *caps;
  char sub[JPATH_MAX];

  if (value == NULL)
    return 0;
  if (object_value (value, path, condition_keys, w->err) < 0)
    return -1;

  caps = member (value, "caps");
  if (caps != NULL
      && each_string (w, caps, jpath_key (sub, path, "caps"), add_cap_condition,
                      c)
             < 0)
    return -1;

  if (arch_condition (w, member (value, "arches"),
                      jpath_key (sub, path, "arches"), c)
      < 0)
    return -1;

  return kernel_condition (w, member (value, "minKernel"),
                           jpath_key (sub, path, "minKernel"), c);
}

static int
rule_applies (struct walk *w, json_t *entry, const char *path, bool *applies)
{
  struct condition includes = { .all = true, .holds = true };
  struct condition excludes = { .all = false, .holds = false };
  char sub[JPATH_MAX];

  if (resolve_condition (w, member (entry, "includes"),
                         jpath_key (sub, path, "includes"), &includes)
      < 0)
    return -1;

  if (resolve_condition (w, member (entry, "excludes"),
                         jpath_key (sub, path, "excludes"), &excludes)
      < 0)
    return -1;

  *applies = includes.holds && !excludes.holds;
  return 0;
}

/* --- rules ---------------------------------------------------------------- */

struct name_list
{
  struct cdb_seccomp_rule *rule;
  size_t n;
};

/* libseccomp knows the names of every architecture: a call that does not
   exist on this one (a negative number) is a name, not a typo. */
static int
add_name (struct walk *w, const char *name, const char *path, void *data)
{
  struct name_list *list = data;

  if (seccomp_syscall_resolve_name (name) == __NR_SCMP_ERROR)
    return cdb_fail (w->err, 0, "spec: %s: unknown system call \"%s\"", path,
                     name);

  if (++w->n_names > PROFILE_NAMES_MAX)
    return cdb_fail (w->err, 0,
                     "spec: %s: more than %d system call names in all rules",
                     path, PROFILE_NAMES_MAX);

  if (strv_append (&list->rule->names, &list->n, name) < 0)
    return jpath_out_of_memory (w->err, path);
  return 0;
}

static int
rule_names (struct walk *w, json_t *value, const char *path,
            struct cdb_seccomp_rule *rule)
{
  struct name_list list = { rule, 0 };

  if (value == NULL)
    return jpath_required (w->err, path);
  if (json_is_array (value) && json_array_size (value) == 0)
    return jpath_expected (w->err, path, "a non-empty array of strings");

  return each_string (w, value, path, add_name, &list);
}

static int
arg_op (struct walk *w, json_t *value, const char *path, int *op)
{
  const char *name;
  size_t i;

  if (value == NULL)
    return jpath_required (w->err, path);
  if (jpath_string (value, path, &name, w->err) < 0)
    return -1;

  for (i = 0; i < N_OP_NAMES; i++)
    if (strcmp (op_names[i].name, name) == 0)
      {
        *op = op_names[i].op;
        return 0;
      }
  return cdb_fail (w->err, 0, "spec: %s: unknown operator \"%s\"", path, name);
}

/* jansson holds integers as signed 64-bit numbers, so a value above
   INT64_MAX cannot be written; no flag or mask of a profile needs one. */
static int
arg_number (struct walk *w, json_t *value, const char *path, json_int_t min,
            json_int_t max, uint64_t *out)
{
  json_int_t number = 0;

  if (value == NULL)
    return jpath_required (w->err, path);
  if (jpath_integer (value, path, min, max, &number, w->err) < 0)
    return -1;

  *out = (uint64_t) number;
  return 0;
}

/* Only SCMP_CMP_MASKED_EQ reads valueTwo; another operator would ignore
   it silently. */
static int
arg_value_two (struct walk *w, json_t *value, const char *path,
               struct cdb_seccomp_arg *arg)
{
  if (value == NULL)
    return 0;
  if (arg_number (w, value, path, 0, JSON_INT_MAX, &arg->value_two) < 0)
    return -1;

  if (arg->value_two != 0 && arg->op != SCMP_CMP_MASKED_EQ)
    return cdb_fail (w->err, 0,
                     "spec: %s: only SCMP_CMP_MASKED_EQ uses valueTwo", path);
  return 0;
}

static int
parse_arg (struct walk *w, json_t *entry, const char *path, void *data)
{
  struct cdb_seccomp_rule *rule = data;
  struct cdb_seccomp_arg *arg = &rule->args[rule->n_args];
  char sub[JPATH_MAX];
  uint64_t index = 0;

  if (arg_op (w, member (entry, "op"), jpath_key (sub, path, "op"), &arg->op)
      < 0)
    return -1;

  if (arg_number (w, member (entry, "index"), jpath_key (sub, path, "index"), 0,
                  ARGS_MAX - 1, &index)
      < 0)
    return -1;
  arg->index = (unsigned int) index;

  if (arg_number (w, member (entry, "value"), jpath_key (sub, path, "value"), 0,
                  JSON_INT_MAX, &arg->value)
      < 0)
    return -1;

  if (arg_value_two (w, member (entry, "valueTwo"),
                     jpath_key (sub, path, "valueTwo"), arg)
      < 0)
    return -1;

  rule->n_args++;
  return 0;
}

static const char *const arg_keys[] = {
  "index", "value", "valueTwo", "op", NULL,
};

static int
rule_args (struct walk *w, json_t *value, const char *path,
           struct cdb_seccomp_rule *rule)
{
  if (value == NULL)
    return 0;
  if (jpath_array (value, path, "an array of objects", w->err) < 0)
    return -1;
  if (json_array_size (value) > ARGS_MAX)
    return cdb_fail (w->err, 0,
                     "spec: %s: more than %d comparisons (a system call has "
                     "%d arguments)",
                     path, ARGS_MAX, ARGS_MAX);
  if (json_array_size (value) == 0)
    return 0;

  rule->args = calloc (json_array_size (value), sizeof *rule->args);
  if (rule->args == NULL)
    return jpath_out_of_memory (w->err, path);

  return each_object (w, value, path, arg_keys, parse_arg, rule);
}

static int
rule_comment (struct walk *w, json_t *value, const char *path)
{
  const char *ignored;

  if (value == NULL)
    return 0;

  return jpath_string (value, path, &ignored, w->err);
}

/* A rule with the default action changes nothing, and libseccomp refuses
   to add one (EACCES); a rule that does not apply here is left out. */
static int
parse_rule (struct walk *w, json_t *entry, const char *path, void *data)
{
  _cleanup_rule_ struct cdb_seccomp_rule rule = { 0 };
  char sub[JPATH_MAX];
  bool applies;

  (void) data;
  if (rule_names (w, member (entry, "names"), jpath_key (sub, path, "names"),
                  &rule)
      < 0)
    return -1;

  if (parse_action (w, entry, path, &rule_action_keys, &rule.action) < 0)
    return -1;

  if (rule_args (w, member (entry, "args"), jpath_key (sub, path, "args"),
                 &rule)
      < 0)
    return -1;

  if (rule_comment (w, member (entry, "comment"),
                    jpath_key (sub, path, "comment"))
      < 0)
    return -1;

  if (rule_applies (w, entry, path, &applies) < 0)
    return -1;

  if (!applies || rule.action == w->profile->default_action)
    return 0;
  if (add_rule (w->profile, &rule) < 0)
    return jpath_out_of_memory (w->err, path);
  return 0;
}

static const char *const rule_keys[] = {
  "names",   "action",   "errnoRet", "errno", "args",
  "comment", "includes", "excludes", NULL,
};

static int
resolve_rules (struct walk *w, json_t *value, const char *path)
{
  if (value == NULL)
    return 0;

  return each_object (w, value, path, rule_keys, parse_rule, NULL);
}

/* --- the profile ---------------------------------------------------------- */

static const char *const profile_keys[] = {
  "defaultAction", "defaultErrnoRet",
  "defaultErrno",  "architectures",
  "archMap",       "flags",
  "listenerPath",  "listenerMetadata",
  "syscalls",      NULL,
};

/* The default action comes first: a rule with the same one is dropped. */
static int
resolve_profile (struct walk *w, json_t *obj, const char *path)
{
  char sub[JPATH_MAX];

  if (object_value (obj, path, profile_keys, w->err) < 0)
    return -1;

  if (refuse_listener (w, obj, path) < 0)
    return -1;

  if (parse_action (w, obj, path, &default_action_keys,
                    &w->profile->default_action)
      < 0)
    return -1;

  if (resolve_arches (w, obj, path) < 0)
    return -1;

  if (resolve_flags (w, member (obj, "flags"), jpath_key (sub, path, "flags"))
      < 0)
    return -1;

  return resolve_rules (w, member (obj, "syscalls"),
                        jpath_key (sub, path, "syscalls"));
}

int
cdb_profile_resolve_host (json_t *value, const char *path, uint64_t bounding,
                          const struct cdb_profile_host *host,
                          struct cdb_seccomp_profile **out,
                          struct cdb_error *err)
{
  _cleanup_profile_ struct cdb_seccomp_profile *profile = NULL;
  struct walk w = { err, bounding, host, NULL, 0 };

  profile = calloc (1, sizeof *profile);
  if (profile == NULL)
    return jpath_out_of_memory (err, path);

  w.profile = profile;
  if (resolve_profile (&w, value, path) < 0)
    return -1;

  *out = take_ptr (profile);
  return 0;
}

int
cdb_profile_host_detect (struct cdb_profile_host *host, struct cdb_error *err)
{
  struct utsname uts;
  char *end;

  host->arch = seccomp_arch_native ();
  if (uname (&uts) < 0)
    return cdb_fail (err, errno, "seccomp: uname");

  if (version_prefix (uts.release, host->kernel, &end) < 0)
    return cdb_fail (err, 0, "seccomp: uname: no version in the release \"%s\"",
                     uts.release);
  return 0;
}

int
cdb_profile_resolve (json_t *value, const char *path,
                     const struct cdb_caps *caps,
                     struct cdb_seccomp_profile **out, struct cdb_error *err)
{
  struct cdb_profile_host host;

  if (cdb_profile_host_detect (&host, err) < 0)
    return cdb_error_prefix (err, "spec: %s", path);

  return cdb_profile_resolve_host (value, path, caps->bounding, &host, out,
                                   err);
}

/* --- printing ------------------------------------------------------------- */

/* The OCI form: includes, excludes and archMap were decided when the
   profile was resolved, so they are not printed, and the rules that did
   not apply are gone. */

static int
set_action (json_t *obj, const char *key, const char *ret_key, uint32_t action)
{
  const struct action *kind = action_by_value (action);

  if (kind == NULL
      || json_object_set_new (obj, key, json_string (kind->name)) < 0)
    return -1;
  if (kind->numbered
      && json_object_set_new (obj, ret_key, json_integer (action & ACTION_DATA))
             < 0)
    return -1;
  return 0;
}

static json_t *
arches_json (const struct cdb_seccomp_profile *profile)
{
  _cleanup_json_ json_t *array = json_array ();
  char name[CDB_ARCH_NAME_MAX];
  size_t i;

  if (array == NULL)
    return NULL;

  for (i = 0; i < profile->n_arches; i++)
    if (json_array_append_new (array, json_string (cdb_profile_arch_name (
                                          profile->arches[i], name)))
        < 0)
      return NULL;
  return take_ptr (array);
}

static json_t *
flags_json (const struct cdb_seccomp_profile *profile)
{
  _cleanup_json_ json_t *array = json_array ();

  if (array == NULL
      || (profile->log
          && json_array_append_new (array,
                                    json_string ("SECCOMP_FILTER_FLAG_LOG"))
                 < 0)
      || (profile->spec_allow
          && json_array_append_new (
                 array, json_string ("SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
                 < 0))
    return NULL;
  return take_ptr (array);
}

static json_t *
arg_json (const struct cdb_seccomp_arg *arg)
{
  if (arg->value > INT64_MAX || arg->value_two > INT64_MAX)
    return NULL;

  return json_pack ("{s:I,s:I,s:I,s:s}", "index", (json_int_t) arg->index,
                    "value", (json_int_t) arg->value, "valueTwo",
                    (json_int_t) arg->value_two, "op", op_name (arg->op));
}

static json_t *
names_json (char *const *names)
{
  _cleanup_json_ json_t *array = json_array ();

  if (array == NULL)
    return NULL;

  for (; names != NULL && *names != NULL; names++)
    if (json_array_append_new (array, json_string (*names)) < 0)
      return NULL;
  return take_ptr (array);
}

static json_t *
args_json (const struct cdb_seccomp_rule *rule)
{
  _cleanup_json_ json_t *array = json_array ();
  size_t i;

  if (array == NULL)
    return NULL;

  for (i = 0; i < rule->n_args; i++)
    if (json_array_append_new (array, arg_json (&rule->args[i])) < 0)
      return NULL;
  return take_ptr (array);
}

static json_t *
rule_json (const struct cdb_seccomp_rule *rule)
{
  _cleanup_json_ json_t *obj = json_object ();

  if (obj == NULL
      || json_object_set_new (obj, "names", names_json (rule->names)) < 0
      || set_action (obj, "action", "errnoRet", rule->action) < 0
      || (rule->n_args > 0
          && json_object_set_new (obj, "args", args_json (rule)) < 0))
    return NULL;
  return take_ptr (obj);
}

static json_t *
rules_json (const struct cdb_seccomp_profile *profile)
{
  _cleanup_json_ json_t *array = json_array ();
  size_t i;

  if (array == NULL)
    return NULL;

  for (i = 0; i < profile->n_rules; i++)
    if (json_array_append_new (array, rule_json (&profile->rules[i])) < 0)
      return NULL;
  return take_ptr (array);
}

json_t *
cdb_profile_to_json (const struct cdb_seccomp_profile *profile)
{
  _cleanup_json_ json_t *obj = json_object ();

  if (obj == NULL
      || set_action (obj, "defaultAction", "defaultErrnoRet",
                     profile->default_action)
             < 0
      || (profile->n_arches > 0
          && json_object_set_new (obj, "architectures", arches_json (profile))
                 < 0)
      || ((profile->log || profile->spec_allow)
          && json_object_set_new (obj, "flags", flags_json (profile)) < 0)
      || json_object_set_new (obj, "syscalls", rules_json (profile)) < 0)
    return NULL;
  return take_ptr (obj);
}

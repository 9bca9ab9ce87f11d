/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the spec parser and the plan: defaults, every refusal (by
 * its exact JSON path and the gist of its message), and the round trip
 * through cdb_plan_to_json().
 *
 * Specs are written with single quotes, which quoted() turns into double
 * quotes, so that they stay readable inside C strings.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "policy.h"
#include "spec.h"
#include "unit-json.h"

#define BASE_DIR "/srv/bundle"
#define ARGS "'args':['/usr/bin/python3','-m','svc']"
#define ROOT "'root':{'path':'/'}"

/* A spec with process members besides args, and top-level members
   besides process and root. */
#define SPEC(process, rest) "{'process':{" ARGS process "}," ROOT rest "}"
#define MINIMAL SPEC ("", "")

#define CAP(n) (UINT64_C (1) << (n))
#define NBS CAP (CAP_NET_BIND_SERVICE)

static const struct cdb_policy *const policy = &cdb_builtin_policy;

/* --- helpers -------------------------------------------------------------- */

static int
resolve_policy (const char *text, const struct cdb_policy *pol,
                const char *base_dir, struct cdb_plan *plan,
                struct cdb_error *err)
{
  json_t *doc = parse (text);
  int rc;

  /* Garbage, so that a resolver that forgets to zero the plan shows. */
  memset (plan, 0xa5, sizeof *plan);
  rc = cdb_spec_resolve (doc, base_dir, pol, plan, err);
  json_decref (doc);
  return rc;
}

static void
resolve_ok (const char *text, struct cdb_plan *plan)
{
  struct cdb_error err = { 0 };

  cr_assert_eq (resolve_policy (text, policy, BASE_DIR, plan, &err), 0,
                "refused: %s\n  %s", text, err.msg);
}

static void
assert_plan_empty (const struct cdb_plan *plan)
{
  cr_assert_null (plan->args);
  cr_assert_null (plan->env);
  cr_assert_null (plan->cwd);
  cr_assert_null (plan->root_path);
  cr_assert_null (plan->hostname);
  cr_assert_null (plan->mounts);
  cr_assert_eq (plan->n_mounts, 0);
  cr_assert_null (plan->rlimits);
  cr_assert_eq (plan->n_rlimits, 0);
  cr_assert_null (plan->masked_paths);
  cr_assert_null (plan->readonly_paths);
}

static void
assert_message (const struct cdb_error *err, const char *path, const char *gist)
{
  char prefix[256];

  snprintf (prefix, sizeof prefix, "spec: %s: ", path);
  cr_assert (strncmp (err->msg, prefix, strlen (prefix)) == 0,
             "message \"%s\" does not start with \"%s\"", err->msg, prefix);
  cr_assert_not_null (strstr (err->msg, gist),
                      "message \"%s\" does not say \"%s\"", err->msg, gist);
  cr_assert_null (strchr (err->msg, '\n'), "message \"%s\" is not one line",
                  err->msg);
}

static void
refused_by (const char *text, const struct cdb_policy *pol, const char *path,
            const char *gist)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (resolve_policy (text, pol, BASE_DIR, &plan, &err), -1,
                "accepted: %s", text);
  assert_message (&err, path, gist);
  assert_plan_empty (&plan);
}

static void
refused (const char *text, const char *path, const char *gist)
{
  refused_by (text, policy, path, gist);
}

static size_t
strv_len (char *const *v)
{
  size_t n = 0;

  while (v != NULL && v[n] != NULL)
    n++;
  return n;
}

static void
assert_strv (char *const *v, const char *const *expect)
{
  size_t i;

  for (i = 0; expect[i] != NULL; i++)
    {
      cr_assert_not_null (v[i], "element %zu missing, expected \"%s\"", i,
                          expect[i]);
      cr_assert_str_eq (v[i], expect[i], "element %zu", i);
    }
  cr_assert_null (v[i], "extra element %zu: \"%s\"", i, v[i]);
}

static const struct cdb_mount *
find_mount (const struct cdb_plan *plan, const char *destination)
{
  size_t i;

  for (i = 0; i < plan->n_mounts; i++)
    if (strcmp (plan->mounts[i].destination, destination) == 0)
      return &plan->mounts[i];
  cr_assert_fail ("no mount at %s", destination);
  return NULL;
}

static const struct cdb_rlimit *
find_rlimit (const struct cdb_plan *plan, int resource)
{
  size_t i;

  for (i = 0; i < plan->n_rlimits; i++)
    if (plan->rlimits[i].resource == resource)
      return &plan->rlimits[i];
  cr_assert_fail ("no rlimit %d", resource);
  return NULL;
}

/* Resolves a spec with one mount and returns it (the plan also holds
   /tmp). */
static struct cdb_mount
one_mount (const char *mount, struct cdb_plan *plan, const char *destination)
{
  char text[1024];

  snprintf (text, sizeof text, SPEC ("", ",'mounts':[%s]"), mount);
  resolve_ok (text, plan);
  return *find_mount (plan, destination);
}

static void
assert_plans_equal (const struct cdb_plan *a, const struct cdb_plan *b)
{
  size_t i;

  assert_strv (b->args, (const char *const *) a->args);
  assert_strv (b->env, (const char *const *) a->env);
  cr_assert_str_eq (b->cwd, a->cwd);
  cr_assert_eq (b->uid, a->uid);
  cr_assert_eq (b->gid, a->gid);
  cr_assert_eq (b->umask, a->umask);
  cr_assert_eq (memcmp (&b->caps, &a->caps, sizeof a->caps), 0);
  cr_assert_str_eq (b->root_path, a->root_path);
  cr_assert_str_eq (b->hostname, a->hostname);
  cr_assert_eq (b->namespaces, a->namespaces);

  cr_assert_eq (b->n_mounts, a->n_mounts);
  for (i = 0; i < a->n_mounts; i++)
    {
      const struct cdb_mount *x = &a->mounts[i];
      const struct cdb_mount *y = &b->mounts[i];

      cr_assert_eq (y->kind, x->kind, "mount %zu", i);
      cr_assert_str_eq (y->destination, x->destination);
      cr_assert_eq (y->flags, x->flags, "mount %s", x->destination);
      if (x->source == NULL)
        cr_assert_null (y->source);
      else
        cr_assert_str_eq (y->source, x->source);
      if (x->data == NULL)
        cr_assert_null (y->data);
      else
        cr_assert_str_eq (y->data, x->data);
    }

  cr_assert_eq (b->n_rlimits, a->n_rlimits);
  for (i = 0; i < a->n_rlimits; i++)
    {
      cr_assert_eq (b->rlimits[i].resource, a->rlimits[i].resource);
      cr_assert_eq (b->rlimits[i].soft, a->rlimits[i].soft);
      cr_assert_eq (b->rlimits[i].hard, a->rlimits[i].hard);
    }

  assert_strv (b->masked_paths, (const char *const *) a->masked_paths);
  assert_strv (b->readonly_paths, (const char *const *) a->readonly_paths);
}

/* Prints the plan, resolves what was printed and compares. */
static void
assert_round_trip (const struct cdb_plan *plan)
{
  struct cdb_error err = { 0 };
  struct cdb_plan again;
  json_t *printed = cdb_plan_to_json (plan);
  json_t *reprinted;

  cr_assert_not_null (printed);
  cr_assert_eq (cdb_spec_resolve (printed, NULL, policy, &again, &err), 0,
                "the printed plan is refused: %s", err.msg);
  assert_plans_equal (plan, &again);

  reprinted = cdb_plan_to_json (&again);
  cr_assert (json_equal (printed, reprinted));

  json_decref (reprinted);
  json_decref (printed);
  cdb_plan_free (&again);
}

/* --- defaults ------------------------------------------------------------- */

Test (defaults, minimal_spec)
{
  static const char *const env[] = {
    "PATH=/usr/local/bin:/usr/bin:/bin",
    "HOME=/tmp",
    "PYTHONDONTWRITEBYTECODE=1",
    "PYTHONUNBUFFERED=1",
    NULL,
  };
  static const char *const args[] = { "/usr/bin/python3", "-m", "svc", NULL };
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);

  assert_strv (plan.args, args);
  assert_strv (plan.env, env);
  cr_assert_str_eq (plan.cwd, "/");
  cr_assert_eq (plan.uid, 1000);
  cr_assert_eq (plan.gid, 1000);
  cr_assert_eq (plan.umask, 0022);
  cr_assert_eq (plan.caps.bounding, 0);
  cr_assert_eq (plan.caps.permitted, 0);
  cr_assert_eq (plan.caps.effective, 0);
  cr_assert_eq (plan.caps.inheritable, 0);
  cr_assert_eq (plan.caps.ambient, 0);
  cr_assert_str_eq (plan.root_path, "/");
  cr_assert_str_eq (plan.hostname, "sandbox");
  cr_assert_eq (plan.namespaces, 0);
  cdb_plan_free (&plan);
}

Test (defaults, tmp_is_a_bounded_tmpfs)
{
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);

  cr_assert_eq (plan.n_mounts, 1);
  cr_assert_eq (plan.mounts[0].kind, CDB_MOUNT_TMPFS);
  cr_assert_str_eq (plan.mounts[0].destination, "/tmp");
  cr_assert_null (plan.mounts[0].source);
  cr_assert_eq (plan.mounts[0].flags, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  cr_assert_str_eq (plan.mounts[0].data, "size=64m,mode=1777");
  cdb_plan_free (&plan);
}

Test (defaults, rlimits_core_and_nofile)
{
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);

  cr_assert_eq (plan.n_rlimits, 2);
  cr_assert_eq (plan.rlimits[0].resource, RLIMIT_CORE);
  cr_assert_eq (plan.rlimits[0].soft, 0);
  cr_assert_eq (plan.rlimits[0].hard, 0);
  cr_assert_eq (plan.rlimits[1].resource, RLIMIT_NOFILE);
  cr_assert_eq (plan.rlimits[1].soft, 1024);
  cr_assert_eq (plan.rlimits[1].hard, 1024);
  cdb_plan_free (&plan);
}

Test (defaults, masked_and_readonly_paths_of_the_policy)
{
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);

  assert_strv (plan.masked_paths, policy->masked_paths);
  assert_strv (plan.readonly_paths, policy->readonly_paths);
  cr_assert_str_eq (plan.masked_paths[0], "/proc/acpi");
  cr_assert_str_eq (plan.readonly_paths[3], "/proc/sys");
  cdb_plan_free (&plan);
}

Test (defaults, absent_objects_and_empty_lists_take_defaults)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'user':{},'capabilities':{},'rlimits':[],'env':[]",
                    ",'mounts':[],'linux':{},'annotations':{},"
                    "'ociVersion':'1.0.2'"),
              &plan);

  cr_assert_eq (plan.uid, 1000);
  cr_assert_eq (plan.caps.bounding, 0);
  cr_assert_eq (plan.n_rlimits, 2);
  cr_assert_eq (strv_len (plan.env), 4);
  cr_assert_eq (plan.n_mounts, 1);
  cr_assert_eq (strv_len (plan.masked_paths), 12);
  cdb_plan_free (&plan);
}

/* --- the document --------------------------------------------------------- */

Test (document, must_be_an_object)
{
  refused ("[1]", "$", "expected a JSON object");
  refused ("'x'", "$", "expected a JSON object");
}

Test (document, required_members)
{
  refused ("{" ROOT "}", "$.process.args", "required");
  refused ("{'process':{}," ROOT "}", "$.process.args", "required");
  refused ("{'process':{" ARGS "}}", "$.root.path", "required");
  refused ("{'process':{" ARGS "},'root':{}}", "$.root.path", "required");
}

Test (document, unknown_keys_at_every_depth)
{
  refused (SPEC ("", ",'foo':1"), "$.foo", "unknown key");
  refused (SPEC ("", ",'hooks':{}"), "$.hooks", "unknown key");
  refused (SPEC (",'foo':1", ""), "$.process.foo", "unknown key");
  refused (SPEC (",'user':{'uid':1000,'username':'svc'}", ""),
           "$.process.user.username", "unknown key");
  refused (SPEC (",'capabilities':{'bounding':[],'all':true}", ""),
           "$.process.capabilities.all", "unknown key");
  refused (SPEC (",'rlimits':[{'type':'RLIMIT_CORE','soft':0,'hard':0,"
                 "'x':1}]",
                 ""),
           "$.process.rlimits[0].x", "unknown key");
  refused ("{'process':{" ARGS "},'root':{'path':'/','propagation':'x'}}",
           "$.root.propagation", "unknown key");
  refused (SPEC ("", ",'mounts':[{'destination':'/tmp','type':'tmpfs'},"
                     "{'destination':'/a','type':'bind','source':'/a',"
                     "'uidMappings':[]}]"),
           "$.mounts[1].uidMappings", "unknown key");
  refused (SPEC ("", ",'linux':{'sysctl':{}}"), "$.linux.sysctl",
           "unknown key");
  refused (SPEC ("", ",'linux':{'namespaces':[{'type':'pid','x':1}]}"),
           "$.linux.namespaces[0].x", "unknown key");
}

Test (document, wrong_types_name_the_path_and_the_type)
{
  refused (SPEC ("", ",'ociVersion':1"), "$.ociVersion", "expected a string");
  refused ("{'process':[]," ROOT "}", "$.process", "expected an object");
  refused ("{'process':{'args':'python'}," ROOT "}", "$.process.args",
           "expected an array of strings");
  refused ("{'process':{'args':['a',2]}," ROOT "}", "$.process.args[1]",
           "expected a string");
  refused (SPEC (",'env':{'A':'1'}", ""), "$.process.env",
           "expected an array of strings");
  refused (SPEC (",'cwd':7", ""), "$.process.cwd", "expected a string");
  refused (SPEC (",'user':[]", ""), "$.process.user", "expected an object");
  refused (SPEC (",'user':{'uid':'1000'}", ""), "$.process.user.uid",
           "expected an integer");
  refused (SPEC (",'user':{'gid':1000.0}", ""), "$.process.user.gid",
           "expected an integer");
  refused (SPEC (",'rlimits':{}", ""), "$.process.rlimits",
           "expected an array of objects");
  refused (SPEC (",'rlimits':[1]", ""), "$.process.rlimits[0]",
           "expected an object");
  refused (SPEC (",'noNewPrivileges':'yes'", ""), "$.process.noNewPrivileges",
           "expected true or false");
  refused ("{'process':{" ARGS "},'root':'/'}", "$.root", "expected an object");
  refused ("{'process':{" ARGS "},'root':{'path':'/','readonly':1}}",
           "$.root.readonly", "expected true or false");
  refused (SPEC ("", ",'hostname':7"), "$.hostname", "expected a string");
  refused (SPEC ("", ",'mounts':{}"), "$.mounts",
           "expected an array of objects");
  refused (SPEC ("", ",'mounts':['/data']"), "$.mounts[0]",
           "expected an object");
  refused (SPEC ("", ",'mounts':[{'destination':'/a','type':'tmpfs',"
                     "'options':'ro'}]"),
           "$.mounts[0].options", "expected an array of strings");
  refused (SPEC ("", ",'linux':[]"), "$.linux", "expected an object");
  refused (SPEC ("", ",'linux':{'maskedPaths':'/x'}"), "$.linux.maskedPaths",
           "expected an array of strings");
  refused (SPEC ("", ",'annotations':[]"), "$.annotations",
           "expected an object of strings");
  refused (SPEC ("", ",'annotations':{'team':1}"), "$.annotations.team",
           "expected a string");
}

Test (document, annotations_and_version_are_accepted)
{
  struct cdb_plan plan;

  resolve_ok (SPEC ("", ",'ociVersion':'1.2.0','annotations':"
                        "{'org.example.team':'trading'}"),
              &plan);
  cr_assert_str_eq (plan.args[0], "/usr/bin/python3");
  cdb_plan_free (&plan);
}

Test (document, a_nul_inside_a_string_is_refused)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  json_t *doc = parse (MINIMAL);
  json_t *args = json_object_get (json_object_get (doc, "process"), "args");

  json_array_set_new (args, 0, json_stringn ("/bin/sh\0-x", 10));
  cr_assert_eq (cdb_spec_resolve (doc, NULL, policy, &plan, &err), -1);
  assert_message (&err, "$.process.args[0]", "NUL");
  assert_plan_empty (&plan);
  json_decref (doc);
}

#if JANSSON_VERSION_HEX >= 0x020e00
Test (document, a_nul_inside_a_key_is_refused)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  json_t *doc = parse (MINIMAL);
  json_t *process = json_object_get (doc, "process");

  json_object_setn_new (process, "cwd\0x", 5, json_string ("/"));
  cr_assert_eq (cdb_spec_resolve (doc, NULL, policy, &plan, &err), -1);
  assert_message (&err, "$.process.cwd", "unknown key");
  json_decref (doc);
}
#endif

Test (document, control_characters_stay_out_of_the_message)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (resolve_policy (SPEC ("", ",'a\\nb\\u001b[31m':1"), policy,
                                NULL, &plan, &err),
                -1);
  cr_assert_str_eq (err.msg, "spec: $.a?b?[31m: unknown key");
}

Test (document, a_long_key_is_cut_in_the_message)
{
  char text[4096];
  char key[2001];
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  memset (key, 'k', sizeof key - 1);
  key[sizeof key - 1] = '\0';
  snprintf (text, sizeof text, SPEC ("", ",'%s':1"), key);
  cr_assert_eq (resolve_policy (text, policy, NULL, &plan, &err), -1);
  memset (key, 'k', 64);
  key[64] = '\0';
  snprintf (text, sizeof text, "spec: $.%s: unknown key", key);
  cr_assert_str_eq (err.msg, text);
}

Test (document, too_many_arguments_are_refused)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  json_t *doc = parse (MINIMAL);
  json_t *args = json_object_get (json_object_get (doc, "process"), "args");
  size_t i;

  for (i = 0; i < 5000; i++)
    json_array_append_new (args, json_string ("x"));
  cr_assert_eq (cdb_spec_resolve (doc, NULL, policy, &plan, &err), -1);
  assert_message (&err, "$.process.args", "more than 4096 elements");
  json_decref (doc);
}

Test (document, an_argument_over_the_kernel_limit_is_refused)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  json_t *doc = parse (MINIMAL);
  json_t *args = json_object_get (json_object_get (doc, "process"), "args");
  char *huge = malloc (CDB_SPEC_MAX_ARG + 1);

  cr_assert_not_null (huge);
  memset (huge, 'a', CDB_SPEC_MAX_ARG);
  huge[CDB_SPEC_MAX_ARG] = '\0';
  json_array_append_new (args, json_string (huge));
  cr_assert_eq (cdb_spec_resolve (doc, NULL, policy, &plan, &err), -1);
  assert_message (&err, "$.process.args[3]", "longer than");
  json_decref (doc);
  free (huge);
}

/* --- process -------------------------------------------------------------- */

Test (process, args_must_be_non_empty_strings)
{
  refused ("{'process':{'args':[]}," ROOT "}", "$.process.args",
           "non-empty array");
  refused ("{'process':{'args':['python','']}," ROOT "}", "$.process.args[1]",
           "non-empty string");
}

Test (process, cwd_is_absolute_and_normalised)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'cwd':'/srv/./app//'", ""), &plan);
  cr_assert_str_eq (plan.cwd, "/srv/app");
  cdb_plan_free (&plan);

  refused (SPEC (",'cwd':'srv'", ""), "$.process.cwd", "absolute path");
  refused (SPEC (",'cwd':'/srv/../etc'", ""), "$.process.cwd", "\"..\"");
}

Test (process, no_new_privileges_is_always_set)
{
  struct cdb_plan plan;

  refused (SPEC (",'noNewPrivileges':false", ""), "$.process.noNewPrivileges",
           "refused by the policy: no_new_privs is always set");

  resolve_ok (SPEC (",'noNewPrivileges':true", ""), &plan);
  cdb_plan_free (&plan);
}

Test (process, a_terminal_is_refused)
{
  struct cdb_plan plan;

  refused (SPEC (",'terminal':true", ""), "$.process.terminal",
           "a terminal is not supported");

  resolve_ok (SPEC (",'terminal':false", ""), &plan);
  cdb_plan_free (&plan);
}

/* --- user ----------------------------------------------------------------- */

Test (user, system_ids_are_refused)
{
  refused (SPEC (",'user':{'gid':42}", ""), "$.process.user.gid",
           "gid 42 is refused by the policy");
  refused (SPEC (",'user':{'uid':999}", ""), "$.process.user.uid",
           "uid 999 is refused by the policy");
}

Test (user, uid_and_gid_zero_are_refused)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (resolve_policy (SPEC (",'user':{'uid':0}", ""), policy,
                                BASE_DIR, &plan, &err),
                -1);
  cr_assert_str_eq (err.msg,
                    "spec: $.process.user.uid: uid 0 is refused by the "
                    "policy (ids below 1000 belong to the system)");
  cr_assert_eq (err.errnum, 0);

  refused (SPEC (",'user':{'uid':1000,'gid':0}", ""), "$.process.user.gid",
           "gid 0 is refused by the policy");
}

Test (user, ids_are_in_range)
{
  struct cdb_plan plan;

  refused (SPEC (",'user':{'uid':4294967295}", ""), "$.process.user.uid",
           "from 0 to 4294967294");
  refused (SPEC (",'user':{'uid':-1}", ""), "$.process.user.uid",
           "from 0 to 4294967294");
  refused (SPEC (",'user':{'gid':99999999999}", ""), "$.process.user.gid",
           "from 0 to 4294967294");

  resolve_ok (SPEC (",'user':{'uid':4294967294,'gid':4294967294}", ""), &plan);
  cr_assert_eq (plan.uid, 4294967294u);
  cr_assert_eq (plan.gid, 4294967294u);
  cdb_plan_free (&plan);
}

Test (user, values_replace_the_defaults)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'user':{'uid':1001,'gid':1002,'umask':63,"
                    "'additionalGids':[]}",
                    ""),
              &plan);
  cr_assert_eq (plan.uid, 1001);
  cr_assert_eq (plan.gid, 1002);
  cr_assert_eq (plan.umask, 0077);
  cdb_plan_free (&plan);
}

Test (user, umask_is_at_most_0777)
{
  refused (SPEC (",'user':{'umask':512}", ""), "$.process.user.umask",
           "from 0 to 511");
}

Test (user, supplementary_groups_are_refused)
{
  refused (SPEC (",'user':{'additionalGids':[1000]}", ""),
           "$.process.user.additionalGids",
           "supplementary groups are refused by the policy");
  refused (SPEC (",'user':{'additionalGids':7}", ""),
           "$.process.user.additionalGids", "expected an array");
}

/* --- env ------------------------------------------------------------------ */

Test (env, defaults_merged_with_the_spec)
{
  static const char *const env[] = {
    "PATH=/opt/venv/bin:/usr/bin",
    "HOME=/home/svc",
    "PYTHONDONTWRITEBYTECODE=1",
    "PYTHONUNBUFFERED=1",
    "MODE=live",
    "EMPTY=",
    "EQ=a=b",
    NULL,
  };
  struct cdb_plan plan;

  resolve_ok (SPEC (",'env':['PATH=/opt/venv/bin:/usr/bin','MODE=paper',"
                    "'HOME=/home/svc','EMPTY=','PYTHONUNBUFFERED=1',"
                    "'MODE=live','EQ=a=b']",
                    ""),
              &plan);
  assert_strv (plan.env, env);
  cdb_plan_free (&plan);
}

Test (env, entries_are_name_equals_value)
{
  refused (SPEC (",'env':['A=1','NOVALUE']", ""), "$.process.env[1]",
           "NAME=value");
  refused (SPEC (",'env':['=x']", ""), "$.process.env[0]", "NAME=value");
  refused (SPEC (",'env':[3]", ""), "$.process.env[0]", "expected a string");
}

Test (env, python_settings_are_fixed)
{
  refused (SPEC (",'env':['PYTHONUNBUFFERED=0']", ""), "$.process.env[0]",
           "PYTHONUNBUFFERED other than 1 is refused by the policy");
  refused (SPEC (",'env':['A=1','PYTHONDONTWRITEBYTECODE=']", ""),
           "$.process.env[1]",
           "PYTHONDONTWRITEBYTECODE other than 1 is refused by the policy");
}

Test (env, similar_names_are_not_the_python_settings)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'env':['PYTHONUNBUFFERED_X=0']", ""), &plan);
  cr_assert_str_eq (plan.env[4], "PYTHONUNBUFFERED_X=0");
  cr_assert_str_eq (plan.env[3], "PYTHONUNBUFFERED=1");
  cdb_plan_free (&plan);
}

/* --- capabilities --------------------------------------------------------- */

Test (capabilities, outside_the_allowlist_is_refused)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (resolve_policy (SPEC (",'capabilities':{'bounding':"
                                      "['CAP_SYS_ADMIN']}",
                                      ""),
                                policy, BASE_DIR, &plan, &err),
                -1);
  cr_assert_str_eq (err.msg,
                    "spec: $.process.capabilities.bounding[0]: CAP_SYS_ADMIN "
                    "is refused by the policy (allowed: "
                    "CAP_NET_BIND_SERVICE)");

  refused (SPEC (",'capabilities':{'bounding':['CAP_NET_BIND_SERVICE',"
                 "'CAP_NET_RAW']}",
                 ""),
           "$.process.capabilities.bounding[1]",
           "CAP_NET_RAW is refused by the policy");
  refused (SPEC (",'capabilities':{'effective':['CAP_SETUID']}", ""),
           "$.process.capabilities.effective[0]", "refused by the policy");
  refused (SPEC (",'capabilities':{'permitted':['CAP_CHOWN']}", ""),
           "$.process.capabilities.permitted[0]", "refused by the policy");
  refused (SPEC (",'capabilities':{'ambient':['CAP_KILL']}", ""),
           "$.process.capabilities.ambient[0]", "refused by the policy");
}

Test (capabilities, the_message_lists_the_allowlist)
{
  struct cdb_policy wide = cdb_builtin_policy;
  struct cdb_policy none = cdb_builtin_policy;

  wide.cap_allowlist = NBS | CAP (CAP_NET_RAW);
  none.cap_allowlist = 0;
  refused_by (SPEC (",'capabilities':{'bounding':['CAP_SYS_ADMIN']}", ""),
              &wide, "$.process.capabilities.bounding[0]",
              "(allowed: CAP_NET_BIND_SERVICE, CAP_NET_RAW)");
  refused_by (
      SPEC (",'capabilities':{'bounding':['CAP_NET_BIND_SERVICE']}", ""), &none,
      "$.process.capabilities.bounding[0]", "(allowed: none)");
}

Test (capabilities, unknown_names_are_refused)
{
  refused (SPEC (",'capabilities':{'bounding':['CAP_FLY']}", ""),
           "$.process.capabilities.bounding[0]",
           "unknown capability \"CAP_FLY\"");
  refused (SPEC (",'capabilities':{'bounding':['NET_BIND_SERVICE']}", ""),
           "$.process.capabilities.bounding[0]", "unknown capability");
  refused (SPEC (",'capabilities':{'bounding':['CAP_']}", ""),
           "$.process.capabilities.bounding[0]", "unknown capability");
  refused (SPEC (",'capabilities':{'ambient':[10]}", ""),
           "$.process.capabilities.ambient[0]", "expected a string");
}

Test (capabilities, inheritable_is_refused)
{
  struct cdb_plan plan;

  refused (SPEC (",'capabilities':{'bounding':['CAP_NET_BIND_SERVICE'],"
                 "'inheritable':['CAP_NET_BIND_SERVICE']}",
                 ""),
           "$.process.capabilities.inheritable",
           "inheritable capabilities are refused by the policy");

  resolve_ok (SPEC (",'capabilities':{'inheritable':[]}", ""), &plan);
  cr_assert_eq (plan.caps.inheritable, 0);
  cdb_plan_free (&plan);
}

Test (capabilities, raised_sets_must_be_within_bounding)
{
  refused (SPEC (",'capabilities':{'ambient':['CAP_NET_BIND_SERVICE']}", ""),
           "$.process.capabilities.ambient[0]",
           "CAP_NET_BIND_SERVICE is not in the bounding set");
  refused (SPEC (",'capabilities':{'effective':['CAP_NET_BIND_SERVICE']}", ""),
           "$.process.capabilities.effective[0]", "not in the bounding set");
  /* The order of the keys in the document does not matter. */
  refused (SPEC (",'capabilities':{'permitted':['CAP_NET_BIND_SERVICE'],"
                 "'bounding':[]}",
                 ""),
           "$.process.capabilities.permitted[0]", "not in the bounding set");
}

Test (capabilities, bounding_alone)
{
  struct cdb_plan plan;

  resolve_ok (
      SPEC (",'capabilities':{'bounding':['CAP_NET_BIND_SERVICE']}", ""),
      &plan);
  cr_assert_eq (plan.caps.bounding, NBS);
  cr_assert_eq (plan.caps.permitted, 0);
  cr_assert_eq (plan.caps.effective, 0);
  cr_assert_eq (plan.caps.inheritable, 0);
  cr_assert_eq (plan.caps.ambient, 0);
  cdb_plan_free (&plan);
}

Test (capabilities, permitted_is_also_effective)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'capabilities':{'permitted':['CAP_NET_BIND_SERVICE'],"
                    "'bounding':['CAP_NET_BIND_SERVICE']}",
                    ""),
              &plan);
  cr_assert_eq (plan.caps.bounding, NBS);
  cr_assert_eq (plan.caps.permitted, NBS);
  cr_assert_eq (plan.caps.effective, NBS);
  cr_assert_eq (plan.caps.inheritable, 0);
  cr_assert_eq (plan.caps.ambient, 0);
  cdb_plan_free (&plan);
}

Test (capabilities, ambient_fills_every_set)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'capabilities':{'bounding':['CAP_NET_BIND_SERVICE'],"
                    "'ambient':['CAP_NET_BIND_SERVICE']}",
                    ""),
              &plan);
  cr_assert_eq (plan.caps.bounding, NBS);
  cr_assert_eq (plan.caps.permitted, NBS);
  cr_assert_eq (plan.caps.effective, NBS);
  cr_assert_eq (plan.caps.inheritable, NBS);
  cr_assert_eq (plan.caps.ambient, NBS);
  cdb_plan_free (&plan);
}

Test (capabilities, names)
{
  char name[CDB_CAP_NAME_MAX];

  cr_assert_str_eq (cdb_spec_cap_name (CAP_NET_BIND_SERVICE, name),
                    "CAP_NET_BIND_SERVICE");
  cr_assert_str_eq (cdb_spec_cap_name (CAP_SYS_ADMIN, name), "CAP_SYS_ADMIN");
  cr_assert_null (cdb_spec_cap_name (63, name));
  cr_assert_null (cdb_spec_cap_name (64, name));
  cr_assert_str_eq (cdb_spec_rlimit_name (RLIMIT_NOFILE), "RLIMIT_NOFILE");
  cr_assert_null (cdb_spec_rlimit_name (-1));
}

/* --- rlimits -------------------------------------------------------------- */

Test (rlimits, spec_entries_override_and_add_in_order)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'rlimits':[{'type':'RLIMIT_NPROC','soft':64,"
                    "'hard':128},{'type':'RLIMIT_NOFILE','soft':4096,"
                    "'hard':8192},{'type':'RLIMIT_AS','soft':0,"
                    "'hard':9223372036854775807}]",
                    ""),
              &plan);

  cr_assert_eq (plan.n_rlimits, 4);
  cr_assert_eq (plan.rlimits[0].resource, RLIMIT_CORE);
  cr_assert_eq (plan.rlimits[1].resource, RLIMIT_NOFILE);
  cr_assert_eq (plan.rlimits[1].soft, 4096);
  cr_assert_eq (plan.rlimits[1].hard, 8192);
  cr_assert_eq (plan.rlimits[2].resource, RLIMIT_NPROC);
  cr_assert_eq (plan.rlimits[2].soft, 64);
  cr_assert_eq (plan.rlimits[2].hard, 128);
  cr_assert_eq (plan.rlimits[3].resource, RLIMIT_AS);
  cr_assert_eq (plan.rlimits[3].hard, INT64_MAX);
  cdb_plan_free (&plan);
}

Test (rlimits, core_can_be_raised)
{
  struct cdb_plan plan;

  resolve_ok (SPEC (",'rlimits':[{'type':'RLIMIT_CORE','soft':1024,"
                    "'hard':4096}]",
                    ""),
              &plan);
  cr_assert_eq (plan.n_rlimits, 2);
  cr_assert_eq (find_rlimit (&plan, RLIMIT_CORE)->soft, 1024);
  cr_assert_eq (find_rlimit (&plan, RLIMIT_CORE)->hard, 4096);
  cdb_plan_free (&plan);
}

Test (rlimits, refusals)
{
  refused (SPEC (",'rlimits':[{'type':'RLIMIT_FLY','soft':1,'hard':1}]", ""),
           "$.process.rlimits[0].type", "unknown rlimit \"RLIMIT_FLY\"");
  refused (SPEC (",'rlimits':[{'type':'RLIMIT_NOFILE','soft':10,"
                 "'hard':5}]",
                 ""),
           "$.process.rlimits[0].soft", "10 is above the hard limit 5");
  refused (SPEC (",'rlimits':[{'type':'RLIMIT_NPROC','soft':1,'hard':1},"
                 "{'type':'RLIMIT_NPROC','soft':2,'hard':2}]",
                 ""),
           "$.process.rlimits[1].type", "RLIMIT_NPROC is set twice");
  refused (SPEC (",'rlimits':[{'type':'RLIMIT_NPROC','soft':1}]", ""),
           "$.process.rlimits[0].hard", "required");
  refused (SPEC (",'rlimits':[{'soft':1,'hard':1}]", ""),
           "$.process.rlimits[0].type", "required");
  refused (SPEC (",'rlimits':[{'type':'RLIMIT_NPROC','soft':-1,'hard':1}]", ""),
           "$.process.rlimits[0].soft", "expected an integer");
  refused (SPEC (",'rlimits':[{'type':1,'soft':1,'hard':1}]", ""),
           "$.process.rlimits[0].type", "expected a string");
}

/* --- root and hostname ---------------------------------------------------- */

Test (root, relative_path_is_joined_to_the_base_dir)
{
  struct cdb_plan plan;

  resolve_ok ("{'process':{" ARGS "},'root':{'path':'rootfs'}}", &plan);
  cr_assert_str_eq (plan.root_path, BASE_DIR "/rootfs");
  cdb_plan_free (&plan);

  resolve_ok ("{'process':{" ARGS "},'root':{'path':'./rootfs//usr/.'}}",
              &plan);
  cr_assert_str_eq (plan.root_path, BASE_DIR "/rootfs/usr");
  cdb_plan_free (&plan);
}

Test (root, relative_path_without_base_dir_uses_the_working_directory)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  char cwd[PATH_MAX];
  char expect[PATH_MAX + 16];

  cr_assert_not_null (getcwd (cwd, sizeof cwd));
  snprintf (expect, sizeof expect, "%s/rootfs",
            strcmp (cwd, "/") == 0 ? "" : cwd);

  cr_assert_eq (resolve_policy ("{'process':{" ARGS "},'root':{'path':"
                                "'rootfs'}}",
                                policy, NULL, &plan, &err),
                0, "%s", err.msg);
  cr_assert_str_eq (plan.root_path, expect);
  cdb_plan_free (&plan);
}

Test (root, absolute_path_is_normalised)
{
  struct cdb_plan plan;

  resolve_ok ("{'process':{" ARGS "},'root':{'path':'/srv//root/./',"
              "'readonly':true}}",
              &plan);
  cr_assert_str_eq (plan.root_path, "/srv/root");
  cdb_plan_free (&plan);
}

Test (root, refusals)
{
  refused ("{'process':{" ARGS "},'root':{'path':'/','readonly':false}}",
           "$.root.readonly",
           "refused by the policy: the root is always read-only");
  refused ("{'process':{" ARGS "},'root':{'path':''}}", "$.root.path",
           "non-empty path");
  refused ("{'process':{" ARGS "},'root':{'path':'../rootfs'}}", "$.root.path",
           "\"..\" component");
  refused ("{'process':{" ARGS "},'root':{'path':'/srv/../rootfs'}}",
           "$.root.path", "\"..\" component");
  refused ("{'process':{" ARGS "},'root':{'path':5}}", "$.root.path",
           "expected a string");
}

Test (hostname, valid_names)
{
  char text[512];
  char name[65];
  struct cdb_plan plan;

  resolve_ok (SPEC ("", ",'hostname':'svc-1.example'"), &plan);
  cr_assert_str_eq (plan.hostname, "svc-1.example");
  cdb_plan_free (&plan);

  memset (name, 'h', 64);
  name[64] = '\0';
  snprintf (text, sizeof text, SPEC ("", ",'hostname':'%s'"), name);
  resolve_ok (text, &plan);
  cr_assert_eq (strlen (plan.hostname), 64);
  cdb_plan_free (&plan);
}

Test (hostname, invalid_names)
{
  refused (SPEC ("", ",'hostname':''"), "$.hostname", "1 to 64");
  refused (SPEC ("", ",'hostname':'svc_1'"), "$.hostname", "letters, digits");
  refused (SPEC ("", ",'hostname':'a b'"), "$.hostname", "letters, digits");
  refused (SPEC ("", ",'hostname':'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
                     "hhhhhhhhhhhhhhhhhhhhh'"),
           "$.hostname", "1 to 64");
}

/* --- mounts --------------------------------------------------------------- */

Test (mounts, bind_is_read_only_nosuid_nodev_by_default)
{
  struct cdb_plan plan;
  struct cdb_mount m = one_mount ("{'destination':'/data','type':'bind',"
                                  "'source':'/srv//data/'}",
                                  &plan, "/data");

  cr_assert_eq (m.kind, CDB_MOUNT_BIND);
  cr_assert_str_eq (m.source, "/srv/data");
  cr_assert_eq (m.flags, MS_RDONLY | MS_NOSUID | MS_NODEV);
  cr_assert_null (m.data);
  cr_assert_eq (plan.n_mounts, 2);
  cdb_plan_free (&plan);
}

Test (mounts, bind_options)
{
  struct cdb_plan plan;
  struct cdb_mount m;

  m = one_mount ("{'destination':'/data','type':'bind','source':'/d',"
                 "'options':['rw','noexec','nosuid','nodev']}",
                 &plan, "/data");
  cr_assert_eq (m.flags, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  cdb_plan_free (&plan);

  m = one_mount ("{'destination':'/data','type':'bind','source':'/d',"
                 "'options':['rbind','ro','exec','rprivate']}",
                 &plan, "/data");
  cr_assert_eq (m.flags, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_REC);
  cdb_plan_free (&plan);

  m = one_mount ("{'destination':'/data','source':'/d','options':['rbind']}",
                 &plan, "/data");
  cr_assert_eq (m.kind, CDB_MOUNT_BIND);
  cr_assert_eq (m.flags, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_REC);
  cdb_plan_free (&plan);

  m = one_mount ("{'destination':'/data','type':'none','source':'/d',"
                 "'options':['bind','private','slave','rslave']}",
                 &plan, "/data");
  cr_assert_eq (m.kind, CDB_MOUNT_BIND);
  cr_assert_eq (m.flags, MS_RDONLY | MS_NOSUID | MS_NODEV);
  cdb_plan_free (&plan);
}

Test (mounts, bind_refusals)
{
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'d'}]"),
           "$.mounts[0].source", "absolute path");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind'}]"),
           "$.mounts[0].source", "required");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'/d','options':['ro','suid']}]"),
           "$.mounts[0].options[1]", "\"suid\" is refused by the policy");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'/d','options':['dev']}]"),
           "$.mounts[0].options[0]", "\"dev\" is refused by the policy");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'/d','options':['bind','shared']}]"),
           "$.mounts[0].options[1]", "unsupported option \"shared\"");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'/d','options':['size=1m']}]"),
           "$.mounts[0].options[0]", "for a bind mount");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'/d','options':['ro','rw']}]"),
           "$.mounts[0].options[1]", "contradict");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','type':'bind',"
                     "'source':'/d','options':['noexec','exec']}]"),
           "$.mounts[0].options[1]", "contradict");
  refused (SPEC ("", ",'mounts':[{'destination':'/d','source':'/d'}]"),
           "$.mounts[0].type", "required");
}

Test (mounts, destination_refusals)
{
  refused (SPEC ("", ",'mounts':[{'type':'tmpfs'}]"), "$.mounts[0].destination",
           "required");
  refused (SPEC ("", ",'mounts':[{'destination':'data','type':'tmpfs'}]"),
           "$.mounts[0].destination", "absolute path");
  refused (SPEC ("", ",'mounts':[{'destination':'/a/../etc','type':'tmpfs'}]"),
           "$.mounts[0].destination", "\"..\"");
  refused (SPEC ("", ",'mounts':[{'destination':'//','type':'tmpfs'}]"),
           "$.mounts[0].destination", "a mount on / is refused");
  refused (SPEC ("", ",'mounts':[{'destination':'/proc','type':'tmpfs'}]"),
           "$.mounts[0].destination", "/proc is provided by cdb-run");
  refused (SPEC ("", ",'mounts':[{'destination':'/proc/sys/net',"
                     "'type':'bind','source':'/x'}]"),
           "$.mounts[0].destination", "/proc is provided by cdb-run");
  refused (SPEC ("", ",'mounts':[{'destination':'/dev/shm','type':'tmpfs'}]"),
           "$.mounts[0].destination", "/dev is provided by cdb-run");
  refused (SPEC ("", ",'mounts':[{'destination':'/data','type':'tmpfs'},"
                     "{'destination':'/data/','type':'bind','source':'/d'}]"),
           "$.mounts[1].destination",
           "/data is also the destination of $.mounts[0]");
}

Test (mounts, destination_near_provided_trees)
{
  struct cdb_plan plan;
  struct cdb_mount m = one_mount ("{'destination':'/devices/./x//',"
                                  "'type':'tmpfs'}",
                                  &plan, "/devices/x");

  cr_assert_eq (m.kind, CDB_MOUNT_TMPFS);
  cdb_plan_free (&plan);
}

Test (mounts, tmp_must_be_a_tmpfs)
{
  refused (SPEC ("", ",'mounts':[{'destination':'/tmp','type':'bind',"
                     "'source':'/var/tmp'}]"),
           "$.mounts[0].type", "/tmp is always a tmpfs");
  refused (SPEC ("", ",'mounts':[{'destination':'/tmp/','source':'/x',"
                     "'options':['rbind']}]"),
           "$.mounts[0].type", "/tmp is always a tmpfs");
}

Test (mounts, types)
{
  refused (SPEC ("", ",'mounts':[{'destination':'/p','type':'proc'}]"),
           "$.mounts[0].type", "\"proc\" mounts are provided by cdb-run");
  refused (SPEC ("", ",'mounts':[{'destination':'/s','type':'sysfs'}]"),
           "$.mounts[0].type", "\"sysfs\" mounts are not supported");
  refused (SPEC ("", ",'mounts':[{'destination':'/c','type':'cgroup2'}]"),
           "$.mounts[0].type", "not supported");
  refused (SPEC ("", ",'mounts':[{'destination':'/n','type':'nfs'}]"),
           "$.mounts[0].type", "\"nfs\" mounts are not supported");
  refused (SPEC ("", ",'mounts':[{'destination':'/n','type':3}]"),
           "$.mounts[0].type", "expected a string");
}

Test (mounts, tmpfs_defaults)
{
  struct cdb_plan plan;
  struct cdb_mount m = one_mount ("{'destination':'/run/svc','type':'tmpfs',"
                                  "'source':'whatever'}",
                                  &plan, "/run/svc");

  cr_assert_eq (m.kind, CDB_MOUNT_TMPFS);
  cr_assert_null (m.source);
  cr_assert_eq (m.flags, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  cr_assert_str_eq (m.data, "size=64m,mode=0755");
  cdb_plan_free (&plan);
}

Test (mounts, tmpfs_options)
{
  struct cdb_plan plan;
  struct cdb_mount m;

  m = one_mount ("{'destination':'/run/svc','type':'tmpfs','options':"
                 "['size=16m','mode=700','exec','ro','nosuid']}",
                 &plan, "/run/svc");
  cr_assert_eq (m.flags, MS_NOSUID | MS_NODEV | MS_RDONLY);
  cr_assert_str_eq (m.data, "size=16m,mode=0700");
  cdb_plan_free (&plan);

  m = one_mount ("{'destination':'/run/svc','type':'tmpfs','options':"
                 "['size=1048577','rw','noexec']}",
                 &plan, "/run/svc");
  cr_assert_eq (m.flags, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  cr_assert_str_eq (m.data, "size=1048577,mode=0755");
  cdb_plan_free (&plan);

  m = one_mount ("{'destination':'/run/svc','type':'tmpfs','options':"
                 "['size=1024K','mode=01777']}",
                 &plan, "/run/svc");
  cr_assert_str_eq (m.data, "size=1m,mode=1777");
  cdb_plan_free (&plan);

  m = one_mount ("{'destination':'/run/svc','type':'tmpfs','options':"
                 "['size=1G','mode=0']}",
                 &plan, "/run/svc");
  cr_assert_str_eq (m.data, "size=1g,mode=0000");
  cdb_plan_free (&plan);
}

Test (mounts, tmpfs_refusals)
{
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['size=0']}]"),
           "$.mounts[0].options[0]", "a tmpfs must have a bounded size");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['ro','size=50%']}]"),
           "$.mounts[0].options[1]", "a tmpfs must have a bounded size");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['size=2g']}]"),
           "$.mounts[0].options[0]",
           "size=2g is refused by the policy (at most 1073741824 bytes)");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['size=99999999999999999999999999k']}]"),
           "$.mounts[0].options[0]", "refused by the policy");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['size=1x']}]"),
           "$.mounts[0].options[0]", "size=N");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['size=']}]"),
           "$.mounts[0].options[0]", "size=N");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['size=k']}]"),
           "$.mounts[0].options[0]", "size=N");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['mode=8']}]"),
           "$.mounts[0].options[0]", "mode=OCTAL");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['mode=17777']}]"),
           "$.mounts[0].options[0]", "mode=OCTAL");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['mode=']}]"),
           "$.mounts[0].options[0]", "mode=OCTAL");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['suid']}]"),
           "$.mounts[0].options[0]", "refused by the policy");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'options':['bind']}]"),
           "$.mounts[0].options[0]",
           "unsupported option \"bind\" for a "
           "tmpfs mount");
  refused (SPEC ("", ",'mounts':[{'destination':'/r','type':'tmpfs',"
                     "'source':1}]"),
           "$.mounts[0].source", "expected a string");
}

Test (mounts, a_spec_tmp_replaces_the_default)
{
  struct cdb_plan plan;

  resolve_ok (SPEC ("", ",'mounts':[{'destination':'/tmp','type':'tmpfs',"
                        "'options':['size=128m']}]"),
              &plan);
  cr_assert_eq (plan.n_mounts, 1);
  cr_assert_str_eq (plan.mounts[0].data, "size=128m,mode=1777");
  cr_assert_eq (plan.mounts[0].flags, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  cdb_plan_free (&plan);
}

Test (mounts, parents_come_before_children)
{
  static const char *const order[] = {
    "/data", "/tmp", "/tmp/cache", "/srv/app", "/srv/app/data",
  };
  struct cdb_plan plan;
  size_t i;

  resolve_ok (SPEC ("",
                    ",'mounts':["
                    "{'destination':'/tmp/cache','type':'tmpfs'},"
                    "{'destination':'/srv/app/data','type':'bind',"
                    "'source':'/d'},"
                    "{'destination':'/data','type':'tmpfs'},"
                    "{'destination':'/srv/app','type':'bind','source':'/a'}]"),
              &plan);

  cr_assert_eq (plan.n_mounts, 5);
  for (i = 0; i < plan.n_mounts; i++)
    cr_assert_str_eq (plan.mounts[i].destination, order[i], "mount %zu", i);
  cdb_plan_free (&plan);
}

Test (mounts, policy_tmp_options_are_checked)
{
  struct cdb_policy unbounded = cdb_builtin_policy;
  struct cdb_policy bad = cdb_builtin_policy;
  struct cdb_policy other = cdb_builtin_policy;
  struct cdb_plan plan;
  struct cdb_error err = { 0 };

  unbounded.tmp_options = "mode=1777";
  refused_by (MINIMAL, &unbounded, "policy tmp_options", "bounded size");
  bad.tmp_options = "size=64m,suid";
  refused_by (MINIMAL, &bad, "policy tmp_options", "refused by the policy");

  other.tmp_options = "mode=1700,size=32768k";
  cr_assert_eq (resolve_policy (MINIMAL, &other, NULL, &plan, &err), 0);
  cr_assert_str_eq (plan.mounts[0].data, "size=32m,mode=1700");
  cdb_plan_free (&plan);
}

/* --- linux ---------------------------------------------------------------- */

/* linux.seccomp is tested in unit-profile.c. */
Test (resources, defaults_are_the_policy_limits)
{
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);
  cr_assert_eq (plan.resources.memory_limit, INT64_C (512) << 20);
  cr_assert_eq (plan.resources.memory_swap, INT64_C (512) << 20);
  cr_assert_eq (plan.resources.cpu_quota, 50000);
  cr_assert_eq (plan.resources.cpu_period, 100000);
  cr_assert_eq (plan.resources.cpu_shares, 0);
  cr_assert_eq (plan.resources.pids_limit, 1024);
  cdb_plan_free (&plan);
}

Test (resources, explicit_values_and_no_swap_by_default)
{
  struct cdb_plan plan;

  resolve_ok (SPEC ("", ",'linux':{'resources':{'memory':{'limit':67108864},"
                        "'cpu':{'quota':25000,'period':50000,'shares':512},"
                        "'pids':{'limit':64}}}"),
              &plan);
  cr_assert_eq (plan.resources.memory_limit, 67108864);
  cr_assert_eq (plan.resources.memory_swap, 67108864);
  cr_assert_eq (plan.resources.cpu_quota, 25000);
  cr_assert_eq (plan.resources.cpu_period, 50000);
  cr_assert_eq (plan.resources.cpu_shares, 512);
  cr_assert_eq (plan.resources.pids_limit, 64);
  cdb_plan_free (&plan);
}

Test (resources, limits_turn_off_only_explicitly)
{
  struct cdb_plan plan;

  resolve_ok (SPEC ("", ",'linux':{'resources':{'memory':{'limit':-1,"
                        "'swap':-1},'cpu':{'quota':-1},'pids':{'limit':-1}}}"),
              &plan);
  cr_assert_eq (plan.resources.memory_limit, CDB_UNLIMITED);
  cr_assert_eq (plan.resources.memory_swap, CDB_UNLIMITED);
  cr_assert_eq (plan.resources.cpu_quota, CDB_UNLIMITED);
  cr_assert_eq (plan.resources.pids_limit, CDB_UNLIMITED);
  cdb_plan_free (&plan);
}

Test (resources, refusals)
{
  refused (SPEC ("", ",'linux':{'resources':{'memory':{'limit':1}}}"),
           "$.linux.resources.memory.limit", "expected -1 (no limit)");
  refused (SPEC ("", ",'linux':{'resources':{'memory':{'limit':67108864,"
                     "'swap':8388608}}}"),
           "$.linux.resources.memory.swap", "cannot be less");
  refused (SPEC ("", ",'linux':{'resources':{'memory':{'limit':-1,"
                     "'swap':67108864}}}"),
           "$.linux.resources.memory.swap", "needs a memory limit");
  refused (SPEC ("", ",'linux':{'resources':{'cpu':{'period':10}}}"),
           "$.linux.resources.cpu.period", "from 1000 to 1000000");
  refused (SPEC ("", ",'linux':{'resources':{'cpu':{'period':-1}}}"),
           "$.linux.resources.cpu.period", "from 1000 to 1000000");
  refused (SPEC ("", ",'linux':{'resources':{'pids':{'limit':'many'}}}"),
           "$.linux.resources.pids.limit", "expected -1");
  refused (SPEC ("", ",'linux':{'resources':{'cpu':{'shares':-1}}}"),
           "$.linux.resources.cpu.shares", "from 2 to 262144");
  refused (SPEC ("", ",'linux':{'resources':{'pids':{'limit':1}}}"),
           "$.linux.resources.pids.limit", "from 2 to");
  refused (SPEC ("", ",'linux':{'resources':{'devices':[]}}"),
           "$.linux.resources.devices", "not supported");
  refused (SPEC ("", ",'linux':{'resources':{'pids':{'max':1}}}"),
           "$.linux.resources.pids.max", "unknown key");
}

Test (linux, namespaces)
{
  struct cdb_plan plan;

  resolve_ok (SPEC ("", ",'linux':{'namespaces':[{'type':'pid'},"
                        "{'type':'mount'},{'type':'ipc'},{'type':'uts'}]}"),
              &plan);
  cr_assert_eq (plan.namespaces, 0);
  cdb_plan_free (&plan);

  resolve_ok (SPEC ("", ",'linux':{'namespaces':[{'type':'network'},"
                        "{'type':'user'}]}"),
              &plan);
  cr_assert_eq (plan.namespaces, CDB_NS_NETWORK | CDB_NS_USER);
  cdb_plan_free (&plan);

  resolve_ok (SPEC ("", ",'linux':{'namespaces':[{'type':'cgroup'}]}"), &plan);
  cr_assert_eq (plan.namespaces, CDB_NS_CGROUP);
  cdb_plan_free (&plan);
}

Test (linux, namespace_refusals)
{
  refused (SPEC ("", ",'linux':{'namespaces':[{'type':'network',"
                     "'path':'/proc/1/ns/net'}]}"),
           "$.linux.namespaces[0].path",
           "joining an existing namespace is not supported");
  refused (SPEC ("", ",'linux':{'namespaces':[{'type':'time'}]}"),
           "$.linux.namespaces[0].type", "unsupported namespace type");
  refused (SPEC ("", ",'linux':{'namespaces':[{'type':'pid'},"
                     "{'type':'network'},{'type':'pid'}]}"),
           "$.linux.namespaces[2].type", "listed twice");
  refused (SPEC ("", ",'linux':{'namespaces':[{}]}"),
           "$.linux.namespaces[0].type", "required");
  refused (SPEC ("", ",'linux':{'namespaces':['pid']}"),
           "$.linux.namespaces[0]", "expected an object");
}

Test (linux, paths_are_added_to_the_policy)
{
  struct cdb_plan plan;
  size_t n_masked = 0;
  size_t n_readonly = 0;

  while (policy->masked_paths[n_masked] != NULL)
    n_masked++;
  while (policy->readonly_paths[n_readonly] != NULL)
    n_readonly++;

  resolve_ok (SPEC ("", ",'linux':{'maskedPaths':['/etc/secret',"
                        "'/proc/kcore','/etc//secret/'],'readonlyPaths':"
                        "['/srv/conf']}"),
              &plan);

  cr_assert_eq (strv_len (plan.masked_paths), n_masked + 1);
  cr_assert_str_eq (plan.masked_paths[0], policy->masked_paths[0]);
  cr_assert_str_eq (plan.masked_paths[n_masked], "/etc/secret");
  cr_assert_eq (strv_len (plan.readonly_paths), n_readonly + 1);
  cr_assert_str_eq (plan.readonly_paths[n_readonly], "/srv/conf");
  cdb_plan_free (&plan);

  /* An empty list does not un-mask the defaults. */
  resolve_ok (SPEC ("", ",'linux':{'maskedPaths':[],'readonlyPaths':[]}"),
              &plan);
  cr_assert_eq (strv_len (plan.masked_paths), n_masked);
  cr_assert_eq (strv_len (plan.readonly_paths), n_readonly);
  cdb_plan_free (&plan);
}

Test (linux, path_refusals)
{
  refused (SPEC ("", ",'linux':{'maskedPaths':['etc/secret']}"),
           "$.linux.maskedPaths[0]", "absolute path");
  refused (SPEC ("", ",'linux':{'readonlyPaths':['/a','/a/../b']}"),
           "$.linux.readonlyPaths[1]", "\"..\"");
  refused (SPEC ("", ",'linux':{'maskedPaths':['/']}"),
           "$.linux.maskedPaths[0]", "a path below /");
}

/* --- loading files -------------------------------------------------------- */

static char tmpdir[] = "/tmp/cdb-unit-spec.XXXXXX";

static char *
write_spec (const char *name, const char *text)
{
  char *path = malloc (PATH_MAX);
  FILE *f;

  cr_assert_not_null (path);
  snprintf (path, PATH_MAX, "%s/%s", tmpdir, name);
  f = fopen (path, "w");
  cr_assert_not_null (f, "%s: %s", path, strerror (errno));
  fputs (text, f);
  cr_assert_eq (fclose (f), 0);
  return path;
}

static void
make_tmpdir (void)
{
  cr_assert_not_null (mkdtemp (tmpdir), "mkdtemp: %s", strerror (errno));
}

static void
remove_tmpdir (void)
{
  char command[PATH_MAX + 16];

  snprintf (command, sizeof command, "rm -rf '%s'", tmpdir);
  cr_assert_eq (system (command), 0);
}

TestSuite (load, .init = make_tmpdir, .fini = remove_tmpdir);

Test (load, relative_root_is_beside_the_spec)
{
  char *path
      = write_spec ("spec.json", "{\"process\": {\"args\": [\"/bin/true\"]},\n"
                                 " \"root\": {\"path\": \"rootfs\"}}\n");
  char expect[PATH_MAX + 16];
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  char *real = realpath (tmpdir, NULL);

  cr_assert_not_null (real);
  snprintf (expect, sizeof expect, "%s/rootfs", real);
  cr_assert_eq (cdb_spec_load (path, policy, &plan, &err), 0, "%s", err.msg);
  cr_assert_str_eq (plan.root_path, expect);
  cr_assert_str_eq (plan.args[0], "/bin/true");
  cdb_plan_free (&plan);
  free (real);
  free (path);
}

Test (load, malformed_json_names_line_and_column)
{
  char *path
      = write_spec ("bad.json", "{\n  \"process\": {\n    \"args\": [,]\n}\n");
  char expect[PATH_MAX + 32];
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  snprintf (expect, sizeof expect, "spec: %s:3:14: parse error: ", path);
  cr_assert_eq (cdb_spec_load (path, policy, &plan, &err), -1);
  cr_assert (strncmp (err.msg, expect, strlen (expect)) == 0,
             "\"%s\" does not start with \"%s\"", err.msg, expect);
  assert_plan_empty (&plan);
  free (path);
}

Test (load, duplicate_keys_are_refused)
{
  char *path
      = write_spec ("dup.json", "{\"process\": {\"args\": [\"/bin/true\"]},\n"
                                " \"root\": {\"path\": \"/\"},\n"
                                " \"root\": {\"path\": \"/srv\"}}\n");
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (cdb_spec_load (path, policy, &plan, &err), -1);
  cr_assert_not_null (strstr (err.msg, ":3:"), "%s", err.msg);
  cr_assert_not_null (strstr (err.msg, "duplicate"), "%s", err.msg);
  free (path);
}

Test (load, a_refusal_in_a_file)
{
  char *path
      = write_spec ("root.json", "{\"process\": {\"args\": [\"/bin/true\"],"
                                 " \"user\": {\"uid\": 0}},"
                                 " \"root\": {\"path\": \"/\"}}");
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (cdb_spec_load (path, policy, &plan, &err), -1);
  cr_assert_str_eq (err.msg, "spec: $.process.user.uid: uid 0 is refused by "
                             "the policy (ids below 1000 belong to the "
                             "system)");
  assert_plan_empty (&plan);
  free (path);
}

Test (load, missing_file)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  cr_assert_eq (
      cdb_spec_load ("/nonexistent/cdb-run/spec.json", policy, &plan, &err),
      -1);
  cr_assert_str_eq (err.msg, "spec: open /nonexistent/cdb-run/spec.json: "
                             "No such file or directory");
  cr_assert_eq (err.errnum, ENOENT);
  assert_plan_empty (&plan);
}

Test (load, a_directory_is_not_a_spec)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  char expect[PATH_MAX + 64];

  snprintf (expect, sizeof expect, "spec: open %s: Is a directory", tmpdir);
  cr_assert_eq (cdb_spec_load (tmpdir, policy, &plan, &err), -1);
  cr_assert_str_eq (err.msg, expect);
}

/* --- the plan ------------------------------------------------------------- */

Test (plan, set_args_replaces_process_args)
{
  static char *const args[] = { "/usr/bin/env", "python3", "-V" };
  static const char *const expect[] = { "/usr/bin/env", "python3", "-V", NULL };
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);
  cr_assert_eq (cdb_plan_set_args (&plan, args, 3, &err), 0, "%s", err.msg);
  assert_strv (plan.args, expect);
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

Test (plan, set_args_refusals_keep_the_plan)
{
  static char *const empty[] = { "/bin/true", "" };
  static const char *const before[] = { "/usr/bin/python3", "-m", "svc", NULL };
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);

  cr_assert_eq (cdb_plan_set_args (&plan, empty, 0, &err), -1);
  cr_assert_not_null (strstr (err.msg, "a command is required after --"), "%s",
                      err.msg);
  cr_assert_eq (cdb_plan_set_args (&plan, empty, 2, &err), -1);
  cr_assert_not_null (strstr (err.msg, "argument 2 after -- is empty"), "%s",
                      err.msg);
  assert_strv (plan.args, before);
  cdb_plan_free (&plan);
}

Test (plan, free_twice_is_harmless)
{
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);
  cdb_plan_free (&plan);
  cdb_plan_free (&plan);
  assert_plan_empty (&plan);
}

#define RICH_SPEC                                                              \
  "{'ociVersion':'1.0.2',"                                                     \
  " 'process':{"                                                               \
  "  'args':['/usr/bin/python3','-m','svc.execution','--venue','paper'],"      \
  "  'env':['PATH=/opt/venv/bin:/usr/bin','REDIS_URL=redis://redis:6379/0',"   \
  "         'HOME=/home/svc','MODE=live','PYTHONUNBUFFERED=1'],"               \
  "  'cwd':'/srv/app/./',"                                                     \
  "  'user':{'uid':1001,'gid':1002,'umask':63,'additionalGids':[]},"           \
  "  'capabilities':{'bounding':['CAP_NET_BIND_SERVICE'],"                     \
  "                  'ambient':['CAP_NET_BIND_SERVICE'],'inheritable':[]},"    \
  "  'rlimits':[{'type':'RLIMIT_NOFILE','soft':4096,'hard':8192},"             \
  "             {'type':'RLIMIT_NPROC','soft':64,'hard':64},"                  \
  "             {'type':'RLIMIT_CORE','soft':0,'hard':0}],"                    \
  "  'noNewPrivileges':true,'terminal':false},"                                \
  " 'root':{'path':'rootfs','readonly':true},"                                 \
  " 'hostname':'execution',"                                                   \
  " 'mounts':["                                                                \
  "  {'destination':'/srv/app/data','type':'bind','source':'/var/lib/svc',"    \
  "   'options':['rbind','rw','noexec']},"                                     \
  "  {'destination':'/srv/app','type':'none','source':'/opt/app',"             \
  "   'options':['bind']},"                                                    \
  "  {'destination':'/run/svc','type':'tmpfs','source':'tmpfs',"               \
  "   'options':['size=16m','mode=700','exec']},"                              \
  "  {'destination':'/tmp/cache','type':'tmpfs',"                              \
  "   'options':['size=1048577','ro']}],"                                      \
  " 'linux':{'namespaces':[{'type':'pid'},{'type':'network'},"                 \
  "                        {'type':'user'}],"                                  \
  "          'maskedPaths':['/proc/sched_debug','/etc/secret'],"               \
  "          'readonlyPaths':['/srv/app/conf']},"                              \
  " 'annotations':{'org.example.team':'trading'}}"

Test (plan, rich_spec_resolves_as_expected)
{
  static const char *const order[] = {
    "/tmp", "/srv/app", "/run/svc", "/tmp/cache", "/srv/app/data",
  };
  struct cdb_plan plan;
  size_t i;

  resolve_ok (RICH_SPEC, &plan);

  cr_assert_str_eq (plan.cwd, "/srv/app");
  cr_assert_str_eq (plan.root_path, BASE_DIR "/rootfs");
  cr_assert_str_eq (plan.env[0], "PATH=/opt/venv/bin:/usr/bin");
  cr_assert_str_eq (plan.env[1], "HOME=/home/svc");
  cr_assert_str_eq (plan.env[4], "REDIS_URL=redis://redis:6379/0");
  cr_assert_eq (plan.caps.inheritable, NBS);
  cr_assert_eq (plan.namespaces, CDB_NS_NETWORK | CDB_NS_USER);
  cr_assert_eq (plan.n_rlimits, 3);
  cr_assert_eq (plan.n_mounts, 5);
  for (i = 0; i < plan.n_mounts; i++)
    cr_assert_str_eq (plan.mounts[i].destination, order[i], "mount %zu", i);
  cr_assert_str_eq (find_mount (&plan, "/tmp/cache")->data,
                    "size=1048577,mode=0755");
  cr_assert_eq (find_mount (&plan, "/srv/app/data")->flags,
                MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REC);
  cdb_plan_free (&plan);
}

Test (plan, round_trip_of_a_rich_spec)
{
  struct cdb_plan plan;

  resolve_ok (RICH_SPEC, &plan);
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

Test (plan, round_trip_of_a_minimal_spec)
{
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

Test (plan, printed_shape)
{
  struct cdb_plan plan;
  json_t *doc;
  json_t *process;
  json_t *tmp;
  char *options;

  resolve_ok (MINIMAL, &plan);
  doc = cdb_plan_to_json (&plan);
  cr_assert_not_null (doc);

  process = json_object_get (doc, "process");
  cr_assert (json_is_true (json_object_get (process, "noNewPrivileges")));
  cr_assert_eq (json_integer_value (
                    json_object_get (json_object_get (process, "user"), "uid")),
                1000);
  cr_assert (json_is_true (
      json_object_get (json_object_get (doc, "root"), "readonly")));
  cr_assert_str_eq (json_string_value (json_object_get (doc, "hostname")),
                    "sandbox");

  tmp = json_array_get (json_object_get (doc, "mounts"), 0);
  cr_assert_str_eq (json_string_value (json_object_get (tmp, "type")), "tmpfs");
  options = json_dumps (json_object_get (tmp, "options"), JSON_COMPACT);
  cr_assert_str_eq (options, "[\"rw\",\"nosuid\",\"nodev\",\"noexec\","
                             "\"size=64m\",\"mode=1777\"]");
  free (options);
  json_decref (doc);
  cdb_plan_free (&plan);
}

Test (plan, an_argument_json_cannot_carry_gives_null)
{
  static char *const args[] = { "/bin/echo", "\xff\xfe" };
  struct cdb_error err = { 0 };
  struct cdb_plan plan;

  resolve_ok (MINIMAL, &plan);
  cr_assert_eq (cdb_plan_set_args (&plan, args, 2, &err), 0);
  cr_assert_null (cdb_plan_to_json (&plan));
  cdb_plan_free (&plan);
}

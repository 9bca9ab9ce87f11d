/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of linux.seccomp: Podman's installed profile, every refusal
 * by its JSON path, Docker's conditions (includes, excludes, archMap) on
 * this machine and on made-up ones, and the round trip through
 * cdb_plan_to_json().
 *
 * As in unit-spec.c, JSON is written with single quotes, which quoted()
 * turns into double quotes.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "policy.h"
#include "profile.h"
#include "spec.h"
#include "unit-json.h"

#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"

#define ARGS "'args':['/usr/bin/python3','-m','svc']"
#define ROOT "'root':{'path':'/'}"
#define NBS_CAPS                                                               \
  ",'capabilities':{'bounding':['CAP_NET_BIND_SERVICE'],"                      \
  "'ambient':['CAP_NET_BIND_SERVICE']}"

/* A spec whose linux.seccomp is the profile, with process members
   besides args. */
#define SPEC_WITH(process, profile)                                            \
  "{'process':{" ARGS process "}," ROOT ",'linux':{'seccomp':" profile "}}"
#define WITH(profile) SPEC_WITH ("", profile)

#define P "$.linux.seccomp"
#define ERRNO_DEFAULT "'defaultAction':'SCMP_ACT_ERRNO'"
/* A profile with one rule, whose members follow the rule's names. */
#define ONE_RULE(members)                                                      \
  "{" ERRNO_DEFAULT ",'syscalls':[{'names':['read']" members "}]}"
#define ALLOW ",'action':'SCMP_ACT_ALLOW'"

#define CAP(n) (UINT64_C (1) << (n))

static const struct cdb_policy *const policy = &cdb_builtin_policy;

static const struct cdb_profile_host amd64 = { SCMP_ARCH_X86_64, { 6, 1 } };
static const struct cdb_profile_host arm64 = { SCMP_ARCH_AARCH64, { 5, 10 } };

/* --- helpers -------------------------------------------------------------- */

static int
resolve_doc (json_t *doc, struct cdb_plan *plan, struct cdb_error *err)
{
  /* Garbage, so that a resolver that forgets to zero the plan shows. */
  memset (plan, 0xa5, sizeof *plan);
  return cdb_spec_resolve (doc, NULL, policy, plan, err);
}

static void
resolve_ok (const char *text, struct cdb_plan *plan)
{
  struct cdb_error err = { 0 };
  json_t *doc = parse (text);

  cr_assert_eq (resolve_doc (doc, plan, &err), 0, "refused: %s\n  %s", text,
                err.msg);
  json_decref (doc);
}

/* Resolves a spec whose linux.seccomp is the profile; the plan holds one. */
static const struct cdb_seccomp_profile *
profile_ok (const char *profile, struct cdb_plan *plan)
{
  char text[4096];

  snprintf (text, sizeof text, WITH ("%s"), profile);
  resolve_ok (text, plan);
  cr_assert_not_null (plan->seccomp);
  return plan->seccomp;
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
refused (const char *profile, const char *path, const char *gist)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  char text[4096];
  json_t *doc;

  snprintf (text, sizeof text, WITH ("%s"), profile);
  doc = parse (text);
  cr_assert_eq (resolve_doc (doc, &plan, &err), -1, "accepted: %s", text);
  json_decref (doc);
  assert_message (&err, path, gist);
  cr_assert_null (plan.seccomp);
  cr_assert_null (plan.args);
}

/* Resolves a profile alone, for a given bounding set and machine. */
static struct cdb_seccomp_profile *
host_ok (const char *profile, uint64_t bounding,
         const struct cdb_profile_host *host)
{
  struct cdb_seccomp_profile *out = NULL;
  struct cdb_error err = { 0 };
  json_t *doc = parse (profile);

  cr_assert_eq (cdb_profile_resolve_host (doc, P, bounding, host, &out, &err),
                0, "refused: %s\n  %s", profile, err.msg);
  json_decref (doc);
  cr_assert_not_null (out);
  return out;
}

static void
host_refused (const char *profile, const struct cdb_profile_host *host,
              const char *path, const char *gist)
{
  struct cdb_seccomp_profile *out = NULL;
  struct cdb_error err = { 0 };
  json_t *doc = parse (profile);

  cr_assert_eq (cdb_profile_resolve_host (doc, P, 0, host, &out, &err), -1,
                "accepted: %s", profile);
  json_decref (doc);
  assert_message (&err, path, gist);
  cr_assert_null (out);
}

static bool
rule_has (const struct cdb_seccomp_rule *rule, const char *name)
{
  char **n;

  for (n = rule->names; *n != NULL; n++)
    if (strcmp (*n, name) == 0)
      return true;
  return false;
}

/* The actions of the rules that name the call without comparing its
   arguments, as a count of rules and the action of the last one. */
static size_t
plain_rules (const struct cdb_seccomp_profile *p, const char *name,
             uint32_t *action)
{
  size_t n = 0;
  size_t i;

  for (i = 0; i < p->n_rules; i++)
    if (p->rules[i].n_args == 0 && rule_has (&p->rules[i], name))
      {
        *action = p->rules[i].action;
        n++;
      }
  return n;
}

static bool
named (const struct cdb_seccomp_profile *p, const char *name)
{
  size_t i;

  for (i = 0; i < p->n_rules; i++)
    if (rule_has (&p->rules[i], name))
      return true;
  return false;
}

static void
assert_plain_action (const struct cdb_seccomp_profile *p, const char *name,
                     uint32_t action)
{
  uint32_t found = 0;

  cr_assert_eq (plain_rules (p, name, &found), 1, "rules for %s", name);
  cr_assert_eq (found, action, "%s: action 0x%x, expected 0x%x", name, found,
                action);
}

static void
assert_arches (const struct cdb_seccomp_profile *p, const uint32_t *arches,
               size_t n)
{
  size_t i;

  cr_assert_eq (p->n_arches, n);
  for (i = 0; i < n; i++)
    cr_assert_eq (p->arches[i], arches[i], "architecture %zu", i);
}

static void
assert_profiles_equal (const struct cdb_seccomp_profile *a,
                       const struct cdb_seccomp_profile *b)
{
  size_t i;
  size_t j;

  cr_assert_eq (b->default_action, a->default_action);
  assert_arches (b, a->arches, a->n_arches);
  cr_assert_eq (b->log, a->log);
  cr_assert_eq (b->spec_allow, a->spec_allow);
  cr_assert_eq (b->n_rules, a->n_rules);
  for (i = 0; i < a->n_rules; i++)
    {
      const struct cdb_seccomp_rule *x = &a->rules[i];
      const struct cdb_seccomp_rule *y = &b->rules[i];

      cr_assert_eq (y->action, x->action, "rule %zu", i);
      for (j = 0; x->names[j] != NULL; j++)
        cr_assert_str_eq (y->names[j], x->names[j], "rule %zu", i);
      cr_assert_null (y->names[j]);
      cr_assert_eq (y->n_args, x->n_args, "rule %zu", i);
      for (j = 0; j < x->n_args; j++)
        cr_assert_eq (memcmp (&y->args[j], &x->args[j], sizeof x->args[j]), 0,
                      "rule %zu, argument %zu", i, j);
    }
}

/* Prints the plan, resolves what was printed and compares the profiles,
   and the second printing with the first. */
static void
assert_round_trip (const struct cdb_plan *plan)
{
  struct cdb_error err = { 0 };
  struct cdb_plan again;
  json_t *printed = cdb_plan_to_json (plan);
  json_t *reprinted;

  cr_assert_not_null (printed);
  cr_assert_eq (resolve_doc (printed, &again, &err), 0,
                "the printed plan is refused: %s", err.msg);
  cr_assert_not_null (again.seccomp);
  assert_profiles_equal (plan->seccomp, again.seccomp);

  reprinted = cdb_plan_to_json (&again);
  cr_assert (json_equal (printed, reprinted));

  json_decref (reprinted);
  json_decref (printed);
  cdb_plan_free (&again);
}

static json_t *
podman_profile (void)
{
  json_error_t error;
  json_t *profile;

  if (access (PODMAN_PROFILE, R_OK) != 0)
    cr_skip_test ("%s is not installed (Debian: golang-github-containers-"
                  "common)",
                  PODMAN_PROFILE);

  profile = json_load_file (PODMAN_PROFILE, JSON_REJECT_DUPLICATES, &error);
  cr_assert_not_null (profile, "%s:%d: %s", PODMAN_PROFILE, error.line,
                      error.text);
  return profile;
}

/* A spec with the given process members and Podman's profile. */
static void
podman_plan (const char *process, struct cdb_plan *plan)
{
  char text[1024];
  json_t *doc;

  snprintf (text, sizeof text, SPEC_WITH ("%s", "{}"), process);
  doc = parse (text);
  json_object_set_new (json_object_get (doc, "linux"), "seccomp",
                       podman_profile ());

  {
    struct cdb_error err = { 0 };

    cr_assert_eq (resolve_doc (doc, plan, &err), 0, "refused: %s", err.msg);
  }
  json_decref (doc);
  cr_assert_not_null (plan->seccomp);
}

static struct cdb_seccomp_profile *
podman_on (const struct cdb_profile_host *host, uint64_t bounding)
{
  struct cdb_seccomp_profile *out = NULL;
  struct cdb_error err = { 0 };
  json_t *doc = podman_profile ();

  cr_assert_eq (cdb_profile_resolve_host (doc, P, bounding, host, &out, &err),
                0, "refused: %s", err.msg);
  json_decref (doc);
  return out;
}

/* --- Podman's profile ----------------------------------------------------- */

Test (podman, loads_through_a_spec)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;
  uint32_t action = 0;

  podman_plan ("", &plan);
  p = plan.seccomp;

  cr_assert_eq (ENOSYS, 38);
  cr_assert_eq (p->default_action, SCMP_ACT_ERRNO (ENOSYS));
  cr_assert_geq (p->n_arches, 1);
  cr_assert_eq (p->arches[0], seccomp_arch_native ());
  cr_assert_gt (p->n_rules, 10);
  cr_assert_not (p->log);

  assert_plain_action (p, "clone", SCMP_ACT_ALLOW);
  assert_plain_action (p, "read", SCMP_ACT_ALLOW);
  /* Allowed only with CAP_SYS_ADMIN, which the plan does not grant. */
  assert_plain_action (p, "bpf", SCMP_ACT_ERRNO (EPERM));
  assert_plain_action (p, "kexec_load", SCMP_ACT_ERRNO (EPERM));
  /* Its rule without arguments needs CAP_AUDIT_WRITE. */
  cr_assert_eq (plain_rules (p, "socket", &action), 0);
  cr_assert (named (p, "socket"));
  cdb_plan_free (&plan);
}

Test (podman, on_amd64_without_capabilities)
{
  static const uint32_t arches[]
      = { SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32 };
  struct cdb_seccomp_profile *p = podman_on (&amd64, 0);
  size_t i;

  assert_arches (p, arches, 3);
  /* 35 rules, less those for other machines (7, 8, 11) and those that
     need a capability (12, 14, 16, 18, 20, 22, 24, 26, 28, 34). */
  cr_assert_eq (p->n_rules, 22);
  assert_plain_action (p, "arch_prctl", SCMP_ACT_ALLOW);
  assert_plain_action (p, "modify_ldt", SCMP_ACT_ALLOW);
  assert_plain_action (p, "chroot", SCMP_ACT_ERRNO (EPERM));
  cr_assert_not (named (p, "sync_file_range2"));
  cr_assert_not (named (p, "s390_runtime_instr"));

  /* personality: five rules of one comparison each. */
  for (i = 0; i < p->n_rules; i++)
    if (rule_has (&p->rules[i], "personality"))
      {
        cr_assert_eq (p->rules[i].action, SCMP_ACT_ALLOW);
        cr_assert_eq (p->rules[i].n_args, 1);
        cr_assert_eq (p->rules[i].args[0].op, SCMP_CMP_EQ);
      }
  cdb_profile_free (p);
}

Test (podman, on_arm64)
{
  static const uint32_t arches[] = { SCMP_ARCH_AARCH64, SCMP_ARCH_ARM };
  struct cdb_seccomp_profile *p = podman_on (&arm64, 0);

  assert_arches (p, arches, 2);
  cr_assert_not (named (p, "arch_prctl"));
  cr_assert_not (named (p, "modify_ldt"));
  assert_plain_action (p, "sync_file_range2", SCMP_ACT_ALLOW);
  assert_plain_action (p, "set_tls", SCMP_ACT_ALLOW);
  cdb_profile_free (p);
}

Test (podman, capabilities_select_the_rules)
{
  struct cdb_seccomp_profile *p
      = podman_on (&amd64, CAP (CAP_SYS_ADMIN) | CAP (CAP_AUDIT_WRITE));
  uint32_t action = 0;

  assert_plain_action (p, "bpf", SCMP_ACT_ALLOW);
  assert_plain_action (p, "perf_event_open", SCMP_ACT_ALLOW);
  assert_plain_action (p, "chroot", SCMP_ACT_ERRNO (EPERM));
  /* With CAP_AUDIT_WRITE, socket is allowed without conditions. */
  cr_assert_eq (plain_rules (p, "socket", &action), 1);
  cr_assert_eq (action, SCMP_ACT_ALLOW);
  cdb_profile_free (p);
}

Test (podman, round_trip)
{
  struct cdb_plan plan;

  podman_plan ("", &plan);
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

/* --- capabilities of the plan --------------------------------------------- */

#define BIND_RULES                                                             \
  "{" ERRNO_DEFAULT ",'syscalls':["                                            \
  "{'names':['bind'],'action':'SCMP_ACT_ALLOW',"                               \
  "'includes':{'caps':['CAP_NET_BIND_SERVICE']}},"                             \
  "{'names':['bind'],'action':'SCMP_ACT_ERRNO','errnoRet':13,"                 \
  "'excludes':{'caps':['CAP_NET_BIND_SERVICE']}}]}"

Test (caps, includes_and_excludes_follow_the_plan)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok (BIND_RULES, &plan);
  assert_plain_action (p, "bind", SCMP_ACT_ERRNO (EACCES));
  cdb_plan_free (&plan);

  resolve_ok (SPEC_WITH (NBS_CAPS, BIND_RULES), &plan);
  assert_plain_action (plan.seccomp, "bind", SCMP_ACT_ALLOW);
  cdb_plan_free (&plan);
}

Test (caps, process_is_resolved_first_whatever_the_order)
{
  struct cdb_plan plan;

  resolve_ok ("{'linux':{'seccomp':" BIND_RULES "},"
              "'process':{" ARGS NBS_CAPS "}," ROOT "}",
              &plan);
  assert_plain_action (plan.seccomp, "bind", SCMP_ACT_ALLOW);
  cdb_plan_free (&plan);
}

Test (caps, includes_needs_all_and_excludes_any)
{
  const char *profile
      = "{" ERRNO_DEFAULT ",'syscalls':["
        "{'names':['read'],'action':'SCMP_ACT_ALLOW',"
        "'includes':{'caps':['CAP_NET_BIND_SERVICE','CAP_NET_RAW']}},"
        "{'names':['write'],'action':'SCMP_ACT_ALLOW',"
        "'excludes':{'caps':['CAP_NET_BIND_SERVICE','CAP_NET_RAW']}},"
        "{'names':['close'],'action':'SCMP_ACT_ALLOW',"
        "'includes':{'caps':[]},'excludes':{'caps':[]}}]}";
  struct cdb_seccomp_profile *p;

  p = host_ok (profile, CAP (CAP_NET_BIND_SERVICE), &amd64);
  cr_assert_not (named (p, "read"));
  cr_assert_not (named (p, "write"));
  cr_assert (named (p, "close"));
  cdb_profile_free (p);

  p = host_ok (profile, CAP (CAP_NET_BIND_SERVICE) | CAP (CAP_NET_RAW), &amd64);
  cr_assert (named (p, "read"));
  cdb_profile_free (p);

  p = host_ok (profile, 0, &amd64);
  cr_assert (named (p, "write"));
  cdb_profile_free (p);
}

/* --- architectures and kernels -------------------------------------------- */

static bool
kept_on (const char *condition, const struct cdb_profile_host *host)
{
  char profile[512];
  struct cdb_seccomp_profile *p;
  bool kept;

  snprintf (profile, sizeof profile,
            "{" ERRNO_DEFAULT ",'syscalls':[{'names':['read'],"
            "'action':'SCMP_ACT_ALLOW',%s}]}",
            condition);
  p = host_ok (profile, 0, host);
  kept = p->n_rules == 1;
  cdb_profile_free (p);
  return kept;
}

Test (conditions, arches)
{
  const struct cdb_profile_host x86 = { SCMP_ARCH_X86, { 6, 1 } };
  const struct cdb_profile_host ppc = { SCMP_ARCH_PPC64LE, { 6, 1 } };

  cr_assert (kept_on ("'includes':{'arches':['arm','arm64']}", &arm64));
  cr_assert_not (kept_on ("'includes':{'arches':['arm','arm64']}", &amd64));
  cr_assert (kept_on ("'includes':{'arches':['amd64','x32']}", &amd64));
  cr_assert_not (kept_on ("'excludes':{'arches':['amd64']}", &amd64));
  cr_assert (kept_on ("'excludes':{'arches':['amd64']}", &arm64));
  cr_assert (kept_on ("'includes':{'arches':[]}", &amd64));
  cr_assert (kept_on ("'excludes':{'arches':[]}", &amd64));
  /* Go's name and Podman's both name 32-bit x86. */
  cr_assert (kept_on ("'includes':{'arches':['386']}", &x86));
  cr_assert (kept_on ("'includes':{'arches':['x86']}", &x86));
  cr_assert_not (kept_on ("'includes':{'arches':['x86']}", &amd64));
  cr_assert (kept_on ("'includes':{'arches':['ppc64le']}", &ppc));
  cr_assert_not (
      kept_on ("'includes':{'arches':['mips64le','sparc']}", &amd64));
}

Test (conditions, min_kernel_on_a_given_machine)
{
  cr_assert (kept_on ("'includes':{'minKernel':'6.1'}", &amd64));
  cr_assert (kept_on ("'includes':{'minKernel':'5.99'}", &amd64));
  cr_assert (kept_on ("'includes':{'minKernel':'2.6'}", &amd64));
  cr_assert_not (kept_on ("'includes':{'minKernel':'6.2'}", &amd64));
  /* Numbers, not text: 10 is above 6. */
  cr_assert_not (kept_on ("'includes':{'minKernel':'10.0'}", &amd64));
  cr_assert_not (kept_on ("'excludes':{'minKernel':'4.8'}", &amd64));
  cr_assert (kept_on ("'excludes':{'minKernel':'7.0'}", &amd64));
}

Test (conditions, min_kernel_on_this_machine)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok (ONE_RULE (ALLOW ",'includes':{'minKernel':'99.0'}"), &plan);
  cr_assert_eq (p->n_rules, 0);
  cdb_plan_free (&plan);

  p = profile_ok (ONE_RULE (ALLOW ",'includes':{'minKernel':'2.6'}"), &plan);
  cr_assert_eq (p->n_rules, 1);
  cdb_plan_free (&plan);
}

Test (conditions, all_kinds_together)
{
  const char *both = "'includes':{'arches':['amd64'],'minKernel':'4.8',"
                     "'caps':['CAP_NET_BIND_SERVICE']}";
  char profile[512];
  struct cdb_seccomp_profile *p;

  cr_assert_not (kept_on (both, &amd64));
  snprintf (profile, sizeof profile,
            "{" ERRNO_DEFAULT ",'syscalls':[{'names':['read'],"
            "'action':'SCMP_ACT_ALLOW',%s}]}",
            both);
  p = host_ok (profile, CAP (CAP_NET_BIND_SERVICE), &amd64);
  cr_assert_eq (p->n_rules, 1);
  cdb_profile_free (p);
  p = host_ok (profile, CAP (CAP_NET_BIND_SERVICE), &arm64);
  cr_assert_eq (p->n_rules, 0);
  cdb_profile_free (p);
}

Test (conditions, a_rule_that_does_not_apply_is_still_checked)
{
  refused (ONE_RULE (",'action':'SCMP_ACT_ALOW','includes':{'arches':["
                     "'s390'],'minKernel':'99.0'}"),
           P ".syscalls[0].action", "unknown action \"SCMP_ACT_ALOW\"");
}

#define ARCH_MAP                                                               \
  "{" ERRNO_DEFAULT ",'archMap':["                                             \
  "{'architecture':'SCMP_ARCH_X86_64',"                                        \
  "'subArchitectures':['SCMP_ARCH_X86','SCMP_ARCH_X32','SCMP_ARCH_X86']},"     \
  "{'architecture':'SCMP_ARCH_AARCH64','subArchitectures':['SCMP_ARCH_ARM']}," \
  "{'architecture':'SCMP_ARCH_SPARC64',"                                       \
  "'subArchitectures':['SCMP_ARCH_SPARC']}]}"

Test (arches, arch_map_gives_this_machine_and_its_sub_architectures)
{
  static const uint32_t on_amd64[]
      = { SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32 };
  static const uint32_t on_arm64[] = { SCMP_ARCH_AARCH64, SCMP_ARCH_ARM };
  const struct cdb_profile_host riscv = { SCMP_ARCH_RISCV64, { 6, 1 } };
  struct cdb_seccomp_profile *p;

  p = host_ok (ARCH_MAP, 0, &amd64);
  assert_arches (p, on_amd64, 3);
  cdb_profile_free (p);

  p = host_ok (ARCH_MAP, 0, &arm64);
  assert_arches (p, on_arm64, 2);
  cdb_profile_free (p);

  /* No entry for this machine: its own architecture only. */
  p = host_ok (ARCH_MAP, 0, &riscv);
  cr_assert_eq (p->n_arches, 0);
  cdb_profile_free (p);

  /* Go writes a list never set as an empty one. */
  p = host_ok ("{" ERRNO_DEFAULT ",'architectures':[],'archMap':[{"
               "'architecture':'SCMP_ARCH_AARCH64'}]}",
               0, &arm64);
  assert_arches (p, on_arm64, 1);
  cdb_profile_free (p);
}

Test (arches, arch_map_refusals)
{
  host_refused ("{" ERRNO_DEFAULT ",'archMap':[{'architecture':"
                "'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X87']}]}",
                &amd64, P ".archMap[0].subArchitectures[0]",
                "unknown architecture \"SCMP_ARCH_X87\"");
  host_refused ("{" ERRNO_DEFAULT ",'archMap':[{'architecture':"
                "'SCMP_ARCH_S390X','subArchitectures':['s390']}]}",
                &amd64, P ".archMap[0].subArchitectures[0]",
                "expected an SCMP_ARCH_ name");
  host_refused ("{" ERRNO_DEFAULT ",'archMap':[{'architecture':'x86_64'}]}",
                &amd64, P ".archMap[0].architecture",
                "expected an SCMP_ARCH_ name");
  host_refused ("{" ERRNO_DEFAULT ",'archMap':[{'subArchitectures':[]}]}",
                &amd64, P ".archMap[0].architecture", "required");
  host_refused ("{" ERRNO_DEFAULT ",'archMap':[{'architecture':"
                "'SCMP_ARCH_X86_64'}],'architectures':['SCMP_ARCH_X86']}",
                &amd64, P ".archMap", "either architectures or archMap");
}

Test (arches, architectures_as_listed_once_each)
{
  static const uint32_t arches[] = { SCMP_ARCH_X86, SCMP_ARCH_X86_64 };
  struct cdb_seccomp_profile *p;

  p = host_ok ("{" ERRNO_DEFAULT ",'architectures':['SCMP_ARCH_X86',"
               "'SCMP_ARCH_X86_64','SCMP_ARCH_X86']}",
               0, &amd64);
  assert_arches (p, arches, 2);
  cdb_profile_free (p);

  refused ("{" ERRNO_DEFAULT ",'architectures':['SCMP_ARCH_X86_64',"
           "'SCMP_ARCH_Z80']}",
           P ".architectures[1]", "unknown architecture \"SCMP_ARCH_Z80\"");
  refused ("{" ERRNO_DEFAULT ",'architectures':['x86_64']}",
           P ".architectures[0]", "unknown architecture");
}

Test (arches, names)
{
  char name[CDB_ARCH_NAME_MAX];

  cr_assert_str_eq (cdb_profile_arch_name (SCMP_ARCH_X86_64, name),
                    "SCMP_ARCH_X86_64");
  cr_assert_str_eq (cdb_profile_arch_name (SCMP_ARCH_MIPSEL64N32, name),
                    "SCMP_ARCH_MIPSEL64N32");
  cr_assert_null (cdb_profile_arch_name (0, name));
  cr_assert_null (cdb_profile_arch_name (0x1234, name));
}

/* --- actions -------------------------------------------------------------- */

static uint32_t
default_of (const char *members)
{
  char profile[512];
  struct cdb_plan plan;
  uint32_t action;

  snprintf (profile, sizeof profile, "{%s}", members);
  action = profile_ok (profile, &plan)->default_action;
  cdb_plan_free (&plan);
  return action;
}

Test (actions, every_name)
{
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_KILL'"), SCMP_ACT_KILL);
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_KILL_THREAD'"),
                SCMP_ACT_KILL_THREAD);
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_KILL_PROCESS'"),
                SCMP_ACT_KILL_PROCESS);
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_TRAP'"), SCMP_ACT_TRAP);
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_ERRNO'"),
                SCMP_ACT_ERRNO (EPERM));
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_TRACE'"),
                SCMP_ACT_TRACE (EPERM));
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_TRACE',"
                            "'defaultErrnoRet':7"),
                SCMP_ACT_TRACE (7));
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_LOG'"), SCMP_ACT_LOG);
  cr_assert_eq (default_of ("'defaultAction':'SCMP_ACT_ALLOW'"),
                SCMP_ACT_ALLOW);
}

Test (actions, errno_numbers_and_names)
{
  cr_assert_eq (default_of (ERRNO_DEFAULT ",'defaultErrnoRet':38"),
                SCMP_ACT_ERRNO (ENOSYS));
  cr_assert_eq (default_of (ERRNO_DEFAULT ",'defaultErrno':'ENOSYS'"),
                SCMP_ACT_ERRNO (ENOSYS));
  cr_assert_eq (default_of (ERRNO_DEFAULT ",'defaultErrnoRet':38,"
                                          "'defaultErrno':'ENOSYS'"),
                SCMP_ACT_ERRNO (ENOSYS));
  cr_assert_eq (default_of (ERRNO_DEFAULT ",'defaultErrno':'EWOULDBLOCK'"),
                SCMP_ACT_ERRNO (EAGAIN));
  cr_assert_eq (default_of (ERRNO_DEFAULT ",'defaultErrnoRet':4095"),
                SCMP_ACT_ERRNO (4095));
}

Test (actions, rule_errno_names)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errno':'EINVAL'"),
                  &plan);
  cr_assert_eq (p->n_rules, 1);
  cr_assert_eq (p->rules[0].action, SCMP_ACT_ERRNO (EINVAL));
  cdb_plan_free (&plan);

  p = profile_ok (ONE_RULE (",'action':'SCMP_ACT_KILL_PROCESS',"
                            "'comment':'no reads'"),
                  &plan);
  cr_assert_eq (p->rules[0].action, SCMP_ACT_KILL_PROCESS);
  cdb_plan_free (&plan);
}

Test (actions, a_rule_with_the_default_action_is_dropped)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  /* EPERM, the default errnoRet, is 1. */
  p = profile_ok (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errnoRet':1"), &plan);
  cr_assert_eq (p->n_rules, 0);
  cdb_plan_free (&plan);

  p = profile_ok (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errnoRet':2"), &plan);
  cr_assert_eq (p->n_rules, 1);
  cr_assert_eq (p->rules[0].action, SCMP_ACT_ERRNO (ENOENT));
  cdb_plan_free (&plan);
}

Test (actions, learning_mode_logs_everything)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok ("{'defaultAction':'SCMP_ACT_LOG',"
                  "'flags':['SECCOMP_FILTER_FLAG_LOG'],'syscalls':["
                  "{'names':['reboot','kexec_load'],'action':'SCMP_ACT_ERRNO'},"
                  "{'names':['read'],'action':'SCMP_ACT_LOG'}]}",
                  &plan);
  cr_assert_eq (p->default_action, SCMP_ACT_LOG);
  cr_assert (p->log);
  cr_assert_not (p->spec_allow);
  cr_assert_eq (p->n_rules, 1);
  cr_assert_str_eq (p->rules[0].names[0], "reboot");
  cr_assert_str_eq (p->rules[0].names[1], "kexec_load");
  cr_assert_null (p->rules[0].names[2]);
  cr_assert_eq (p->rules[0].action, SCMP_ACT_ERRNO (EPERM));
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

Test (actions, names_for_messages)
{
  cr_assert_str_eq (cdb_profile_action_name (SCMP_ACT_ERRNO (38)),
                    "SCMP_ACT_ERRNO");
  cr_assert_str_eq (cdb_profile_action_name (SCMP_ACT_TRACE (0)),
                    "SCMP_ACT_TRACE");
  cr_assert_str_eq (cdb_profile_action_name (SCMP_ACT_KILL_THREAD),
                    "SCMP_ACT_KILL");
  cr_assert_str_eq (cdb_profile_action_name (SCMP_ACT_KILL_PROCESS),
                    "SCMP_ACT_KILL_PROCESS");
  cr_assert_str_eq (cdb_profile_action_name (SCMP_ACT_ALLOW), "SCMP_ACT_ALLOW");
  cr_assert_null (cdb_profile_action_name (SCMP_ACT_NOTIFY));
  cr_assert_null (cdb_profile_action_name (SCMP_ACT_ALLOW | 1));
}

Test (actions, refusals)
{
  refused ("{}", P ".defaultAction", "required");
  refused ("{'defaultAction':'SCMP_ACT_DENY'}", P ".defaultAction",
           "unknown action \"SCMP_ACT_DENY\"");
  refused ("{'defaultAction':'SCMP_ACT_NOTIFY'}", P ".defaultAction",
           "SCMP_ACT_NOTIFY is not supported");
  refused (ONE_RULE (",'action':'SCMP_ACT_NOTIFY'"), P ".syscalls[0].action",
           "SCMP_ACT_NOTIFY is not supported");
  refused (ONE_RULE (",'action':'allow'"), P ".syscalls[0].action",
           "unknown action \"allow\"");
  refused (ONE_RULE (""), P ".syscalls[0].action", "required");
  refused (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errnoRet':0"),
           P ".syscalls[0].errnoRet", "expected an integer from 1 to 4095");
  refused (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errnoRet':4096"),
           P ".syscalls[0].errnoRet", "expected an integer from 1 to 4095");
  refused (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errnoRet':'EPERM'"),
           P ".syscalls[0].errnoRet", "expected an integer");
  refused ("{" ERRNO_DEFAULT ",'defaultErrnoRet':0}", P ".defaultErrnoRet",
           "expected an integer from 1 to 4095");
  refused ("{" ERRNO_DEFAULT ",'defaultErrnoRet':4096}", P ".defaultErrnoRet",
           "expected an integer from 1 to 4095");
  refused (ONE_RULE (ALLOW ",'errnoRet':1"), P ".syscalls[0].errnoRet",
           "SCMP_ACT_ALLOW returns no errno");
  refused ("{'defaultAction':'SCMP_ACT_KILL','defaultErrno':'EPERM'}",
           P ".defaultErrno", "SCMP_ACT_KILL returns no errno");
  refused ("{" ERRNO_DEFAULT ",'defaultErrno':'EFOO'}", P ".defaultErrno",
           "unknown errno name \"EFOO\"");
  refused ("{" ERRNO_DEFAULT ",'defaultErrnoRet':1,'defaultErrno':'ENOSYS'}",
           P ".defaultErrno", "ENOSYS is 38, but defaultErrnoRet is 1");
  refused (ONE_RULE (",'action':'SCMP_ACT_ERRNO','errnoRet':22,"
                     "'errno':'EPERM'"),
           P ".syscalls[0].errno", "EPERM is 1, but errnoRet is 22");
}

/* --- rules ---------------------------------------------------------------- */

Test (rules, names_must_be_known_system_calls)
{
  refused ("{" ERRNO_DEFAULT ",'syscalls':["
           "{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
           "{'names':['write'],'action':'SCMP_ACT_ALLOW'},"
           "{'names':['close'],'action':'SCMP_ACT_ALLOW'},"
           "{'names':['openat','foo'],'action':'SCMP_ACT_ALLOW'}]}",
           P ".syscalls[3].names[1]", "unknown system call \"foo\"");
  refused (ONE_RULE (""), P ".syscalls[0].action", "required");
  refused ("{" ERRNO_DEFAULT ",'syscalls':[{'action':'SCMP_ACT_ALLOW'}]}",
           P ".syscalls[0].names", "required");
  refused ("{" ERRNO_DEFAULT ",'syscalls':[{'names':[],"
           "'action':'SCMP_ACT_ALLOW'}]}",
           P ".syscalls[0].names", "expected a non-empty array of strings");
  refused ("{" ERRNO_DEFAULT ",'syscalls':[{'names':[''],"
           "'action':'SCMP_ACT_ALLOW'}]}",
           P ".syscalls[0].names[0]", "unknown system call \"\"");
}

Test (rules, names_of_other_machines_are_known)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok ("{" ERRNO_DEFAULT ",'syscalls':[{'names':['read',"
                  "'socketcall','s390_runtime_instr','_llseek'],"
                  "'action':'SCMP_ACT_ALLOW'}]}",
                  &plan);
  cr_assert_eq (p->n_rules, 1);
  cr_assert_str_eq (p->rules[0].names[3], "_llseek");
  cdb_plan_free (&plan);
}

Test (rules, null_members_are_absent)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok ("{" ERRNO_DEFAULT ",'architectures':null,'flags':null,"
                  "'listenerPath':null,'syscalls':[{'names':['read'],"
                  "'action':'SCMP_ACT_ALLOW','args':null,'comment':null,"
                  "'includes':null,'excludes':{}}]}",
                  &plan);
  cr_assert_eq (p->n_rules, 1);
  cr_assert_eq (p->rules[0].n_args, 0);
  cr_assert_null (p->rules[0].args);
  cdb_plan_free (&plan);
}

Test (rules, args)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;
  const struct cdb_seccomp_arg *a;

  p = profile_ok (ONE_RULE (ALLOW ",'args':["
                                  "{'index':0,'value':2114060288,'valueTwo':0,"
                                  "'op':'SCMP_CMP_MASKED_EQ'},"
                                  "{'index':5,'value':9223372036854775807,"
                                  "'op':'SCMP_CMP_NE'},"
                                  "{'index':1,'value':1,'op':'SCMP_CMP_LT'},"
                                  "{'index':2,'value':2,'op':'SCMP_CMP_LE'},"
                                  "{'index':3,'value':3,'op':'SCMP_CMP_GE'},"
                                  "{'index':4,'value':255,'valueTwo':16,"
                                  "'op':'SCMP_CMP_MASKED_EQ'}]"),
                  &plan);
  cr_assert_eq (p->rules[0].n_args, 6);
  a = p->rules[0].args;
  cr_assert_eq (a[0].op, SCMP_CMP_MASKED_EQ);
  cr_assert_eq (a[0].value, 2114060288);
  cr_assert_eq (a[1].index, 5);
  cr_assert_eq (a[1].value, INT64_MAX);
  cr_assert_eq (a[1].op, SCMP_CMP_NE);
  cr_assert_eq (a[2].op, SCMP_CMP_LT);
  cr_assert_eq (a[3].op, SCMP_CMP_LE);
  cr_assert_eq (a[4].op, SCMP_CMP_GE);
  cr_assert_eq (a[5].value, 255);
  cr_assert_eq (a[5].value_two, 16);
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

Test (rules, arg_refusals)
{
  refused (
      ONE_RULE (ALLOW ",'args':[{'index':0,'value':1,'op':'SCMP_CMP_IN'}]"),
      P ".syscalls[0].args[0].op", "unknown operator \"SCMP_CMP_IN\"");
  refused (
      ONE_RULE (ALLOW ",'args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]"),
      P ".syscalls[0].args[0].index", "expected an integer from 0 to 5");
  refused (ONE_RULE (ALLOW ",'args':[{'index':-1,'value':1,"
                           "'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args[0].index", "expected an integer from 0 to 5");
  refused (ONE_RULE (ALLOW ",'args':[{'value':1,'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args[0].index", "required");
  refused (ONE_RULE (ALLOW ",'args':[{'index':0,'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args[0].value", "required");
  refused (ONE_RULE (ALLOW ",'args':[{'index':0,'value':1}]"),
           P ".syscalls[0].args[0].op", "required");
  refused (ONE_RULE (ALLOW ",'args':[{'index':0,'value':-1,"
                           "'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args[0].value",
           "expected an integer from 0 to 9223372036854775807");
  refused (ONE_RULE (ALLOW ",'args':[{'index':0,'value':1,'valueTwo':2,"
                           "'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args[0].valueTwo", "only SCMP_CMP_MASKED_EQ");
  refused (ONE_RULE (ALLOW ",'args':["
                           "{'index':0,'value':0,'op':'SCMP_CMP_EQ'},"
                           "{'index':1,'value':0,'op':'SCMP_CMP_EQ'},"
                           "{'index':2,'value':0,'op':'SCMP_CMP_EQ'},"
                           "{'index':3,'value':0,'op':'SCMP_CMP_EQ'},"
                           "{'index':4,'value':0,'op':'SCMP_CMP_EQ'},"
                           "{'index':5,'value':0,'op':'SCMP_CMP_EQ'},"
                           "{'index':0,'value':1,'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args", "more than 6 comparisons");
}

Test (rules, condition_refusals)
{
  refused (ONE_RULE (ALLOW ",'includes':{'caps':['CAP_SYS_ADMN']}"),
           P ".syscalls[0].includes.caps[0]",
           "unknown capability \"CAP_SYS_ADMN\"");
  refused (ONE_RULE (ALLOW ",'excludes':{'caps':['SYS_ADMIN']}"),
           P ".syscalls[0].excludes.caps[0]", "unknown capability");
  refused (ONE_RULE (ALLOW ",'includes':{'minKernel':'4'}"),
           P ".syscalls[0].includes.minKernel",
           "expected a kernel version \"MAJOR.MINOR\"");
  refused (ONE_RULE (ALLOW ",'includes':{'minKernel':'4.8-rc1'}"),
           P ".syscalls[0].includes.minKernel", "expected a kernel version");
  refused (ONE_RULE (ALLOW ",'excludes':{'minKernel':4.8}"),
           P ".syscalls[0].excludes.minKernel", "expected a string");
}

/* --- flags and listeners -------------------------------------------------- */

Test (flags, accepted_flags)
{
  struct cdb_plan plan;
  const struct cdb_seccomp_profile *p;

  p = profile_ok ("{" ERRNO_DEFAULT ",'flags':['SECCOMP_FILTER_FLAG_TSYNC',"
                  "'SECCOMP_FILTER_FLAG_SPEC_ALLOW']}",
                  &plan);
  cr_assert (p->spec_allow);
  cr_assert_not (p->log);
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

Test (flags, refusals)
{
  refused ("{" ERRNO_DEFAULT ",'flags':['SECCOMP_FILTER_FLAG_NEW_LISTENER']}",
           P ".flags[0]",
           "unsupported flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"");
  refused ("{" ERRNO_DEFAULT ",'listenerPath':'/run/agent.sock'}",
           P ".listenerPath", "not supported");
  refused ("{" ERRNO_DEFAULT ",'listenerMetadata':'x'}", P ".listenerMetadata",
           "not supported");
}

/* --- the document --------------------------------------------------------- */

Test (document, unknown_keys_at_every_depth)
{
  refused ("{" ERRNO_DEFAULT ",'defaultErrnoRe':1}", P ".defaultErrnoRe",
           "unknown key");
  refused (ONE_RULE (ALLOW ",'name':'read'"), P ".syscalls[0].name",
           "unknown key");
  refused (ONE_RULE (ALLOW ",'args':[{'index':0,'value':1,"
                           "'op':'SCMP_CMP_EQ','valueThree':0}]"),
           P ".syscalls[0].args[0].valueThree", "unknown key");
  refused (ONE_RULE (ALLOW ",'includes':{'kernel':'4.8'}"),
           P ".syscalls[0].includes.kernel", "unknown key");
  refused ("{" ERRNO_DEFAULT ",'archMap':[{'architecture':'SCMP_ARCH_X86_64',"
           "'subArchitecture':[]}]}",
           P ".archMap[0].subArchitecture", "unknown key");
}

Test (document, wrong_types_name_the_path_and_the_type)
{
  refused ("[]", P, "expected an object");
  refused ("'SCMP_ACT_ERRNO'", P, "expected an object");
  refused ("{'defaultAction':1}", P ".defaultAction", "expected a string");
  refused ("{" ERRNO_DEFAULT ",'syscalls':{}}", P ".syscalls",
           "expected an array of objects");
  refused ("{" ERRNO_DEFAULT ",'syscalls':['read']}", P ".syscalls[0]",
           "expected an object");
  refused ("{" ERRNO_DEFAULT ",'syscalls':[{'names':'read',"
           "'action':'SCMP_ACT_ALLOW'}]}",
           P ".syscalls[0].names", "expected an array of strings");
  refused ("{" ERRNO_DEFAULT ",'syscalls':[{'names':[0],"
           "'action':'SCMP_ACT_ALLOW'}]}",
           P ".syscalls[0].names[0]", "expected a string");
  refused (ONE_RULE (ALLOW ",'args':{}"), P ".syscalls[0].args",
           "expected an array of objects");
  refused (ONE_RULE (ALLOW ",'args':[{'index':0,'value':'1',"
                           "'op':'SCMP_CMP_EQ'}]"),
           P ".syscalls[0].args[0].value", "expected an integer");
  refused (ONE_RULE (ALLOW ",'includes':[]"), P ".syscalls[0].includes",
           "expected an object");
  refused (ONE_RULE (ALLOW ",'includes':{'arches':'amd64'}"),
           P ".syscalls[0].includes.arches", "expected an array of strings");
  refused (ONE_RULE (ALLOW ",'comment':7"), P ".syscalls[0].comment",
           "expected a string");
  refused ("{" ERRNO_DEFAULT ",'flags':'SECCOMP_FILTER_FLAG_LOG'}", P ".flags",
           "expected an array of strings");
  refused ("{" ERRNO_DEFAULT ",'architectures':[1]}", P ".architectures[0]",
           "expected a string");
  refused ("{" ERRNO_DEFAULT ",'archMap':{}}", P ".archMap",
           "expected an array of objects");
  refused ("{" ERRNO_DEFAULT ",'defaultErrno':38}", P ".defaultErrno",
           "expected a string");
}

Test (document, a_nul_inside_a_name_is_refused)
{
  struct cdb_seccomp_profile *out = NULL;
  struct cdb_error err = { 0 };
  json_t *doc = parse (ONE_RULE (ALLOW));
  json_t *names = json_object_get (
      json_array_get (json_object_get (doc, "syscalls"), 0), "names");

  json_array_set_new (names, 0, json_stringn ("read\0x", 6));
  cr_assert_eq (cdb_profile_resolve_host (doc, P, 0, &amd64, &out, &err), -1);
  assert_message (&err, P ".syscalls[0].names[0]", "NUL byte");
  json_decref (doc);
}

/* --- the printed plan ----------------------------------------------------- */

Test (plan, without_a_profile_nothing_is_printed)
{
  struct cdb_plan plan;
  json_t *doc;

  resolve_ok ("{'process':{" ARGS "}," ROOT "}", &plan);
  cr_assert_null (plan.seccomp);
  doc = cdb_plan_to_json (&plan);
  cr_assert_not_null (doc);
  cr_assert_null (json_object_get (json_object_get (doc, "linux"), "seccomp"));
  json_decref (doc);
  cdb_plan_free (&plan);
}

Test (plan, printed_shape)
{
  struct cdb_plan plan;
  json_t *doc;
  char *text;

  profile_ok ("{" ERRNO_DEFAULT ",'defaultErrno':'ENOSYS',"
              "'archMap':[{'architecture':'SCMP_ARCH_X86_64',"
              "'subArchitectures':['SCMP_ARCH_X86']},"
              "{'architecture':'SCMP_ARCH_AARCH64',"
              "'subArchitectures':['SCMP_ARCH_ARM']}],"
              "'syscalls':[{'names':['read','write'],"
              "'action':'SCMP_ACT_ALLOW','comment':'io',"
              "'includes':{'minKernel':'2.6'}},"
              "{'names':['clone'],'action':'SCMP_ACT_ERRNO','errno':'EPERM',"
              "'args':[{'index':0,'value':2114060288,'valueTwo':0,"
              "'op':'SCMP_CMP_MASKED_EQ'}]}]}",
              &plan);
  doc = cdb_plan_to_json (&plan);
  cr_assert_not_null (doc);
  text
      = json_dumps (json_object_get (json_object_get (doc, "linux"), "seccomp"),
                    JSON_COMPACT | JSON_SORT_KEYS);
  if (seccomp_arch_native () == SCMP_ARCH_X86_64)
    cr_assert_str_eq (
        text, "{\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
              "\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
              "\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\","
              "\"names\":[\"read\",\"write\"]},"
              "{\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
              "\"op\":\"SCMP_CMP_MASKED_EQ\",\"value\":2114060288,"
              "\"valueTwo\":0}],\"errnoRet\":1,\"names\":[\"clone\"]}]}");
  assert_round_trip (&plan);
  free (text);
  json_decref (doc);
  cdb_plan_free (&plan);
}

Test (plan, round_trip_of_every_action_and_flag)
{
  struct cdb_plan plan;

  profile_ok ("{'defaultAction':'SCMP_ACT_TRACE','defaultErrnoRet':9,"
              "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_AARCH64'],"
              "'flags':['SECCOMP_FILTER_FLAG_LOG',"
              "'SECCOMP_FILTER_FLAG_SPEC_ALLOW'],'syscalls':["
              "{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
              "{'names':['write'],'action':'SCMP_ACT_LOG'},"
              "{'names':['reboot'],'action':'SCMP_ACT_KILL_PROCESS'},"
              "{'names':['kexec_load'],'action':'SCMP_ACT_KILL_THREAD'},"
              "{'names':['ptrace'],'action':'SCMP_ACT_TRAP'},"
              "{'names':['bpf'],'action':'SCMP_ACT_TRACE','errnoRet':3},"
              "{'names':['mount'],'action':'SCMP_ACT_ERRNO','errnoRet':13,"
              "'args':[{'index':3,'value':1,'op':'SCMP_CMP_GT'}]}]}",
              &plan);
  cr_assert_eq (plan.seccomp->n_rules, 7);
  cr_assert_eq (plan.seccomp->default_action, SCMP_ACT_TRACE (9));
  cr_assert_eq (plan.seccomp->rules[5].action, SCMP_ACT_TRACE (3));
  assert_round_trip (&plan);
  cdb_plan_free (&plan);
}

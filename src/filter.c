/* SPDX-License-Identifier: MIT */
/*
 * The seccomp stage: the filters are compiled before the clone and
 * installed in the child as plain BPF programs, the last step before the
 * verification, because they forbid calls the earlier steps make.
 */
#include "filter.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "profile.h"

/* A libseccomp comparison from an OCI one. For SCMP_CMP_MASKED_EQ the
   OCI value is the mask and valueTwo the expected value, which is
   libseccomp's order too. */
static struct scmp_arg_cmp
to_cmp (const struct cdb_seccomp_arg *a)
{
  struct scmp_arg_cmp cmp = {
    .arg = a->index,
    .op = (enum scmp_compare) a->op,
    .datum_a = a->value,
    .datum_b = a->value_two,
  };

  return cmp;
}

/* Two comparisons of the same argument cannot be made in one libseccomp
   rule; like other runtimes, cdb-run then adds one rule per comparison,
   so that either one matching is enough. */
static bool
repeats_an_argument (const struct cdb_seccomp_rule *r)
{
  unsigned int seen = 0;
  size_t i;

  for (i = 0; i < r->n_args; i++)
    {
      if (seen & (1u << r->args[i].index))
        return true;
      seen |= 1u << r->args[i].index;
    }
  return false;
}

static int
add_profile_rule (scmp_filter_ctx ctx, uint32_t action, int nr, unsigned int n,
                  const struct scmp_arg_cmp *cmps, const char *name,
                  struct cdb_error *err)
{
  int rc = seccomp_rule_add_array (ctx, action, nr, n, cmps);

  /* A rule that repeats the default action changes nothing; libseccomp
     refuses it, and profiles commonly have some. */
  if (rc == -EACCES)
    return 0;
  if (rc < 0)
    return cdb_fail (err, -rc, "seccomp: profile: add the rule for %s", name);
  return 0;
}

static int
add_profile_name (scmp_filter_ctx ctx, const struct cdb_seccomp_rule *r,
                  const char *name, struct cdb_error *err)
{
  struct scmp_arg_cmp cmps[6];
  int nr = seccomp_syscall_resolve_name (name);
  size_t i;

  for (i = 0; i < r->n_args && i < 6; i++)
    cmps[i] = to_cmp (&r->args[i]);

  if (!repeats_an_argument (r))
    return add_profile_rule (ctx, r->action, nr, (unsigned int) i, cmps, name,
                             err);

  for (i = 0; i < r->n_args && i < 6; i++)
    if (add_profile_rule (ctx, r->action, nr, 1, &cmps[i], name, err) < 0)
      return -1;
  return 0;
}

static int
add_profile_arches (scmp_filter_ctx ctx, const struct cdb_seccomp_profile *p,
                    struct cdb_error *err)
{
  char name[CDB_ARCH_NAME_MAX];
  size_t i;
  int rc;

  /* libseccomp combines only architectures the machine can run, such as
     i386 and x32 with x86_64. */
  for (i = 0; i < p->n_arches; i++)
    {
      rc = seccomp_arch_add (ctx, p->arches[i]);
      if (rc < 0 && rc != -EEXIST)
        return cdb_fail (err, -rc,
                         "seccomp: profile: add architecture %s "
                         "($.linux.seccomp.architectures)",
                         cdb_profile_arch_name (p->arches[i], name));
    }
  return 0;
}

static int
compile_profile (const struct cdb_seccomp_profile *p, struct sock_fprog *prog,
                 struct cdb_error *err)
{
  scmp_filter_ctx ctx = seccomp_init (p->default_action);
  size_t i;
  char *const *name;
  int rc = -1;

  if (ctx == NULL)
    return cdb_fail (err, 0,
                     "seccomp: profile: default action 0x%x is "
                     "not valid ($.linux.seccomp.defaultAction)",
                     p->default_action);

  /* A call through an ABI the profile leaves out fails as it does under
     the built-in filter, rather than killing the service. */
  if (cdb_filter_set_attr (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO (EPERM),
                           err)
          < 0
      || cdb_filter_set_attr (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2, err) < 0
      || add_profile_arches (ctx, p, err) < 0)
    goto out;

  for (i = 0; i < p->n_rules; i++)
    for (name = p->rules[i].names; *name != NULL; name++)
      if (add_profile_name (ctx, &p->rules[i], *name, err) < 0)
        goto out;

  rc = cdb_filter_export (ctx, prog, err);

out:
  seccomp_release (ctx);
  return rc;
}

int
cdb_seccomp_prepare (const struct cdb_plan *plan, struct cdb_filters *f,
                     struct cdb_error *err)
{
  const struct cdb_seccomp_profile *p = plan->seccomp;

  memset (f, 0, sizeof *f);

  /* Compiled when cdb-run was built: see gen-filter.c. */
  f->builtin.filter = (struct sock_filter *) cdb_builtin_filter;
  f->builtin.len = cdb_builtin_filter_len;
  f->arguments.filter = (struct sock_filter *) cdb_argument_filter;
  f->arguments.len = cdb_argument_filter_len;

  if (p == NULL)
    return 0;

  if (p->log)
    f->profile_flags |= SECCOMP_FILTER_FLAG_LOG;
  if (p->spec_allow)
    f->profile_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  return compile_profile (p, &f->profile, err);
}

/* The kernel's BPF_MAXINSNS. */
#define PROGRAM_MAX 4096

static int
load_program (const struct sock_fprog *prog, unsigned int flags,
              const char *which, struct cdb_error *err)
{
  if (prog->len > PROGRAM_MAX)
    return cdb_fail (err, 0,
                     "seccomp: install the %s filter: it compiles to %u "
                     "instructions, and the kernel takes at most %d",
                     which, prog->len, PROGRAM_MAX);

  if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog) < 0)
    return cdb_fail (err, errno, "seccomp: install the %s filter", which);
  return 0;
}

int
cdb_seccomp_install (const struct cdb_filters *f, struct cdb_error *err)
{
  if (load_program (&f->builtin, 0, "built-in", err) < 0)
    return -1;
  return load_program (&f->arguments, 0, "argument", err);
}

int
cdb_seccomp_install_profile (const struct cdb_filters *f, struct cdb_error *err)
{
  if (f->profile.len == 0)
    return 0;
  return load_program (&f->profile, f->profile_flags, "profile", err);
}

void
cdb_seccomp_release (struct cdb_filters *f)
{
  free (f->profile.filter);
  memset (f, 0, sizeof *f);
}

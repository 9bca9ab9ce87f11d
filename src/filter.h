/* SPDX-License-Identifier: MIT */
#ifndef CDB_FILTER_H
#define CDB_FILTER_H

#include <linux/filter.h>
#include <seccomp.h>

#include "error.h"
#include "plan.h"

/* The compiled filters of a plan: the two built-in programs always, the
   spec's profile beside them when there is one. */
struct cdb_filters
{
  struct sock_fprog builtin;
  struct sock_fprog arguments;
  struct sock_fprog profile;  /* .len 0: none */
  unsigned int profile_flags; /* SECCOMP_FILTER_FLAG_* */
};

/* Compiles the filters with libseccomp. Runs in the parent, before the
   clone, so the child loads ready-made programs and no libseccomp code
   runs between fork and exec. */
int cdb_seccomp_prepare (const struct cdb_plan *plan, struct cdb_filters *f,
                         struct cdb_error *err);

/* Installs the built-in programs in the calling process. Needs
   no_new_privs (or CAP_SYS_ADMIN); runs after the other steps of the
   sandbox, because the filter forbids the calls they make. */
int cdb_seccomp_install (const struct cdb_filters *f, struct cdb_error *err);

/* Installs the spec's profile, if any: the very last step before the
   service's execve(2). It is the spec author's, and may refuse anything,
   so none of cdb-run's own work (closing descriptors, reaping, reporting)
   runs under it; the profile's errno answers take precedence over the
   built-in filter's, the kernel preferring the filter installed last. */
int cdb_seccomp_install_profile (const struct cdb_filters *f,
                                 struct cdb_error *err);

void cdb_seccomp_release (struct cdb_filters *f);

/* The names the built-in filter answers with EPERM, NULL-terminated. */
extern const char *const cdb_seccomp_denied[];

/* Compiles the built-in filter with libseccomp into a program the caller
   frees. libseccomp takes milliseconds for it, so this runs once, when
   cdb-run is built (gen-filter.c), and the unit tests run it again. */
int cdb_filter_build_builtin (struct sock_fprog *prog, struct cdb_error *err);

/* Writes the built-in checks of arguments, a program of its own (see
   filter-rules.c for why), into a program the caller frees. */
int cdb_filter_build_arguments (struct sock_fprog *prog, struct cdb_error *err);

/* Helpers shared by the built-in filter and the profile compiler. */
int cdb_filter_set_attr (scmp_filter_ctx ctx, enum scmp_filter_attr attr,
                         uint32_t value, struct cdb_error *err);

/* Copies a compiled filter out of libseccomp into a plain BPF program,
   which the caller frees. */
int cdb_filter_export (scmp_filter_ctx ctx, struct sock_fprog *prog,
                       struct cdb_error *err);

/* The built-in programs, as made at build time (builtin-filter.c). */
extern const struct sock_filter cdb_builtin_filter[];
extern const unsigned short cdb_builtin_filter_len;
extern const struct sock_filter cdb_argument_filter[];
extern const unsigned short cdb_argument_filter_len;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The rules of the built-in seccomp filter.
 *
 * The built-in filter allows every system call libseccomp knows for the
 * native architecture, except:
 *
 *  - the calls escapes are made of (below, cdb_seccomp_denied), which fail
 *    with EPERM, the answer of a call the caller may not make;
 *  - clone with a namespace flag, also EPERM;
 *  - clone3, whose flags live in memory a filter cannot read: ENOSYS, so
 *    that the C library falls back to clone, whose flags it can;
 *  - every call the filter does not know, which is the default action:
 *    ENOSYS. A system call newer than this filter then looks, to the
 *    program, like one newer than the kernel, and libraries fall back as
 *    they do there. EPERM would make them give up.
 *
 * Why the allowlist is "every call libseccomp knows" rather than the calls
 * a Python service needs: the set a Python program calls is open-ended (C
 * extensions, subprocess, asyncio, ssl and multiprocessing each reach for
 * different calls), and a missing entry breaks a service at run time in a
 * way that is hard to trace, while the calls that matter to an escape are
 * a short, well-known list. And why not a plain denylist, whose default
 * would be to allow: then a call newer than the filter would be allowed
 * unexamined, where here it gets ENOSYS. Measured (tests/bench): libseccomp
 * needs about 3 ms to compile this filter, so it is compiled at build time
 * (gen-filter.c); at run time it costs about 40 ns a call on the test
 * machine, most of it the kernel's slower entry for any filtered process,
 * since calls allowed without looking at their arguments are answered
 * from the kernel's seccomp cache whatever the filter's length.
 *
 * Two checks of arguments cannot be written as libseccomp rules: "any
 * value but these two" needs two comparisons of one argument in one rule,
 * which libseccomp refuses, and a rule without a condition overrides the
 * conditional ones of the same call. They form a second, small program,
 * written here directly in BPF and installed after the first: the
 * TIOCSTI and TIOCLINUX ioctls, which push input into a terminal, and
 * personality other than the default or a query, which could turn off
 * address space randomisation, fail with EPERM. Both compare only the low
 * 32 bits, as the kernel reads them, so set high bits hide nothing.
 *
 * Any system call through another ABI than the native one (on x86_64:
 * i386 through int 0x80, and x32) fails with EPERM: a Python service has
 * no use for them, and a rule that exists only for the native numbers
 * could otherwise be bypassed through them.
 */
#include "filter.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

const char *const cdb_seccomp_denied[] = {
  /* Mounts, in the old API and the new. */
  "mount",
  "umount2",
  "pivot_root",
  "chroot",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "move_mount",
  "open_tree",
  "mount_setattr",
  /* New namespaces or someone else's. */
  "unshare",
  "setns",
  /* The kernel keyring: a shared kernel object, and a long CVE history. */
  "keyctl",
  "add_key",
  "request_key",
  /* Other processes' memory. */
  "ptrace",
  "process_vm_readv",
  "process_vm_writev",
  "kcmp",
  "pidfd_getfd",
  /* Kernel attack surface a service does not need. */
  "bpf",
  "perf_event_open",
  "userfaultfd",
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "lookup_dcookie",
  /* The kernel itself, its modules, its log and its machine. */
  "kexec_load",
  "kexec_file_load",
  "init_module",
  "finit_module",
  "delete_module",
  "reboot",
  "swapon",
  "swapoff",
  "syslog",
  "acct",
  "iopl",
  "ioperm",
  "uselib",
  "vhangup",
  "nfsservctl",
  "quotactl",
  "quotactl_fd",
  /* Files by handle, which bypass path-based confinement. */
  "open_by_handle_at",
  "name_to_handle_at",
  /* The host's clock. */
  "settimeofday",
  "clock_settime",
  "adjtimex",
  "clock_adjtime",
  NULL,
};

#define NS_FLAGS                                                               \
  (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID    \
   | CLONE_NEWNET | CLONE_NEWCGROUP)

/* Handled by rules with argument conditions below, or, for clone3, left
   to the default action: libseccomp takes no rule that repeats it. */
static const char *const conditional[] = {
  "clone",
  "clone3",
  NULL,
};

/* libseccomp's table of the native architecture ends well below this. */
#define SYSCALL_NR_MAX 1024

static bool
in_list (const char *const *list, const char *name)
{
  for (; *list != NULL; list++)
    if (strcmp (*list, name) == 0)
      return true;
  return false;
}

static int
add_rule (scmp_filter_ctx ctx, uint32_t action, const char *name,
          unsigned int n_args, const struct scmp_arg_cmp *args,
          struct cdb_error *err)
{
  int nr = seccomp_syscall_resolve_name (name);
  int rc;

  if (nr == __NR_SCMP_ERROR)
    return cdb_fail (err, 0, "seccomp: unknown system call %s", name);

  rc = seccomp_rule_add_array (ctx, action, nr, n_args, args);
  if (rc < 0)
    return cdb_fail (err, -rc, "seccomp: add a rule for %s", name);
  return 0;
}

static int
allow_known (scmp_filter_ctx ctx, struct cdb_error *err)
{
  uint32_t native = seccomp_arch_native ();
  int nr, rc;

  for (nr = 0; nr < SYSCALL_NR_MAX; nr++)
    {
      _cleanup_free_ char *name = seccomp_syscall_resolve_num_arch (native, nr);

      if (name == NULL || in_list (cdb_seccomp_denied, name)
          || in_list (conditional, name))
        continue;

      rc = seccomp_rule_add (ctx, SCMP_ACT_ALLOW, nr, 0);
      if (rc < 0)
        return cdb_fail (err, -rc, "seccomp: allow %s", name);
    }
  return 0;
}

static int
deny_listed (scmp_filter_ctx ctx, struct cdb_error *err)
{
  const char *const *name;

  for (name = cdb_seccomp_denied; *name != NULL; name++)
    if (add_rule (ctx, SCMP_ACT_ERRNO (EPERM), *name, 0, NULL, err) < 0)
      return -1;
  return 0;
}

/* clone is allowed when it asks for no new namespace; each namespace flag
   is a rule of its own, because a comparison can only test for equality
   under a mask. */
static int
restrict_clone (scmp_filter_ctx ctx, struct cdb_error *err)
{
  static const uint64_t flags[] = {
    CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,    CLONE_NEWUSER,
    CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
  };
  struct scmp_arg_cmp none = SCMP_A0 (SCMP_CMP_MASKED_EQ, NS_FLAGS, 0);
  size_t i;

  if (add_rule (ctx, SCMP_ACT_ALLOW, "clone", 1, &none, err) < 0)
    return -1;

  for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
    {
      struct scmp_arg_cmp set
          = SCMP_A0 (SCMP_CMP_MASKED_EQ, flags[i], flags[i]);

      if (add_rule (ctx, SCMP_ACT_ERRNO (EPERM), "clone", 1, &set, err) < 0)
        return -1;
    }
  return 0;
}

int
cdb_filter_set_attr (scmp_filter_ctx ctx, enum scmp_filter_attr attr,
                     uint32_t value, struct cdb_error *err)
{
  int rc = seccomp_attr_set (ctx, attr, value);

  if (rc < 0)
    return cdb_fail (err, -rc, "seccomp: set filter attribute %d", attr);
  return 0;
}

int
cdb_filter_export (scmp_filter_ctx ctx, struct sock_fprog *prog,
                   struct cdb_error *err)
{
  _cleanup_close_ int fd = -1;
  off_t size;
  int rc;

  fd = memfd_create ("cdb-seccomp", MFD_CLOEXEC);
  if (fd < 0)
    return cdb_fail (err, errno, "seccomp: memfd_create");

  rc = seccomp_export_bpf (ctx, fd);
  if (rc < 0)
    return cdb_fail (err, -rc, "seccomp: compile the filter");

  size = lseek (fd, 0, SEEK_END);
  if (size <= 0 || size % sizeof (struct sock_filter) != 0)
    return cdb_fail (err, 0, "seccomp: compiled filter has %lld bytes",
                     (long long) size);

  prog->filter = malloc ((size_t) size);
  if (prog->filter == NULL)
    return cdb_fail (err, errno, "seccomp: allocate the filter");

  if (pread (fd, prog->filter, (size_t) size, 0) != size)
    return cdb_fail (err, errno, "seccomp: read the compiled filter");

  prog->len = (unsigned short) (size / sizeof (struct sock_filter));
  return 0;
}

int
cdb_filter_build_builtin (struct sock_fprog *prog, struct cdb_error *err)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ERRNO (ENOSYS));
  int rc = -1;

  if (ctx == NULL)
    return cdb_fail (err, ENOMEM, "seccomp: create the built-in filter");

  if (cdb_filter_set_attr (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO (EPERM),
                           err)
          == 0
      && cdb_filter_set_attr (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2, err) == 0
      && allow_known (ctx, err) == 0 && deny_listed (ctx, err) == 0
      && restrict_clone (ctx, err) == 0)
    rc = cdb_filter_export (ctx, prog, err);

  seccomp_release (ctx);
  return rc;
}

/* The low 32 bits of system call argument n in struct seccomp_data. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LOW(n) (offsetof (struct seccomp_data, args[n]))
#else
#define ARG_LOW(n) (offsetof (struct seccomp_data, args[n]) + 4)
#endif

#define LOAD(field) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, (field))
#define RETURN(value) BPF_STMT (BPF_RET | BPF_K, (value))
#define SKIP_UNLESS(value, n)                                                  \
  BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (value), 0, (n))
#define SKIP_IF(value, n) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (value), (n), 0)

#define ALLOW SECCOMP_RET_ALLOW
#define DENY (SECCOMP_RET_ERRNO | EPERM)

int
cdb_filter_build_arguments (struct sock_fprog *prog, struct cdb_error *err)
{
  const struct sock_filter program[] = {
    /* Calls of another ABI are the first program's to answer. */
    LOAD (offsetof (struct seccomp_data, arch)),
    SKIP_IF (seccomp_arch_native (), 1),
    RETURN (ALLOW),

    LOAD (offsetof (struct seccomp_data, nr)),
    SKIP_UNLESS (__NR_ioctl, 5),
    LOAD (ARG_LOW (1)),
    SKIP_IF (TIOCSTI, 1),
    SKIP_UNLESS (TIOCLINUX, 1),
    RETURN (DENY),
    RETURN (ALLOW),

    SKIP_UNLESS (__NR_personality, 4),
    LOAD (ARG_LOW (0)),
    SKIP_IF (0, 2),
    SKIP_IF (0xffffffff, 1),
    RETURN (DENY),
    RETURN (ALLOW),
  };

  prog->filter = malloc (sizeof program);
  if (prog->filter == NULL)
    return cdb_fail (err, errno, "seccomp: allocate the argument filter");

  memcpy (prog->filter, program, sizeof program);
  prog->len = sizeof program / sizeof program[0];
  return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The built-in seccomp programs: that the compiled-in copy is the one the
 * rules produce today, that every denied name is known, and what a
 * process under them is answered, call by call. The filters are installed
 * in a forked child, never in the test runner.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <seccomp.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"

Test (builtin, compiled_copy_is_current)
{
  struct cdb_error err = { 0 };
  struct sock_fprog fresh;

  cr_assert_eq (cdb_filter_build_builtin (&fresh, &err), 0, "%s", err.msg);
  cr_assert_eq (fresh.len, cdb_builtin_filter_len);
  cr_assert (memcmp (fresh.filter, cdb_builtin_filter,
                     fresh.len * sizeof fresh.filter[0])
             == 0);
  free (fresh.filter);
}

Test (builtin, argument_program_is_current)
{
  struct cdb_error err = { 0 };
  struct sock_fprog fresh;

  cr_assert_eq (cdb_filter_build_arguments (&fresh, &err), 0, "%s", err.msg);
  cr_assert_eq (fresh.len, cdb_argument_filter_len);
  cr_assert (memcmp (fresh.filter, cdb_argument_filter,
                     fresh.len * sizeof fresh.filter[0])
             == 0);
  free (fresh.filter);
}

Test (builtin, every_denied_name_is_known)
{
  const char *const *name;

  for (name = cdb_seccomp_denied; *name != NULL; name++)
    cr_expect_neq (seccomp_syscall_resolve_name (*name), __NR_SCMP_ERROR,
                   "unknown system call %s", *name);
}

/* Runs call() in a child under the built-in filters; returns the errno
   it saw (0 for success). */
static int
errno_under_filter (long (*call) (void))
{
  struct cdb_filters f;
  struct cdb_error err = { 0 };
  struct cdb_plan plan = { 0 };
  int status;
  pid_t pid;

  cr_assert_eq (cdb_seccomp_prepare (&plan, &f, &err), 0, "%s", err.msg);

  pid = fork ();
  cr_assert_geq (pid, 0);
  if (pid == 0)
    {
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
          || cdb_seccomp_install (&f, &err) < 0)
        _exit (255);
      _exit (call () < 0 ? errno : 0);
    }

  cr_assert_eq (waitpid (pid, &status, 0), pid);
  cr_assert (WIFEXITED (status));
  cr_assert_neq (WEXITSTATUS (status), 255, "the filters did not load");
  return WEXITSTATUS (status);
}

static long
call_mount (void)
{
  return mount ("none", "/nonexistent", "tmpfs", 0, NULL);
}

static long
call_unshare_user (void)
{
  return unshare (CLONE_NEWUSER);
}

static long
call_clone_newns (void)
{
  long pid = syscall (SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);

  if (pid == 0)
    _exit (0);
  return pid;
}

static long
call_clone3 (void)
{
  return syscall (SYS_clone3, NULL, 0);
}

static long
call_unknown (void)
{
  return syscall (1000);
}

static long
call_tiocsti_high_bits (void)
{
  char c = 'x';

  return syscall (SYS_ioctl, 0, 0x100000000UL | TIOCSTI, &c);
}

static long
call_personality_linux32 (void)
{
  return syscall (SYS_personality, 0x0008UL);
}

static long
call_personality_query (void)
{
  return syscall (SYS_personality, 0xffffffffUL);
}

static long
call_getppid (void)
{
  return syscall (SYS_getppid);
}

Test (behaviour, denied_calls_get_eperm)
{
  cr_expect_eq (errno_under_filter (call_mount), EPERM);
  cr_expect_eq (errno_under_filter (call_unshare_user), EPERM);
  cr_expect_eq (errno_under_filter (call_clone_newns), EPERM);
  cr_expect_eq (errno_under_filter (call_tiocsti_high_bits), EPERM);
  cr_expect_eq (errno_under_filter (call_personality_linux32), EPERM);
}

Test (behaviour, clone3_and_unknown_calls_get_enosys)
{
  cr_expect_eq (errno_under_filter (call_clone3), ENOSYS);
  cr_expect_eq (errno_under_filter (call_unknown), ENOSYS);
}

Test (behaviour, ordinary_calls_pass)
{
  cr_expect_eq (errno_under_filter (call_getppid), 0);
  cr_expect_eq (errno_under_filter (call_personality_query), 0);
}

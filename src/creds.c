/* SPDX-License-Identifier: MIT */
/*
 * The privilege stage. The order is forced by the kernel:
 *
 *  1. the bounding set first, because dropping from it needs CAP_SETPCAP,
 *     which is gone once the uid is not 0;
 *  2. groups before gid before uid, because changing groups and gid needs
 *     CAP_SETGID, which setresuid to a non-zero uid takes away;
 *  3. the permitted, effective and inheritable sets, then the ambient set,
 *     which can only hold what is both permitted and inheritable;
 *  4. no_new_privs, so that no later execve can gain privileges through
 *     set-user-ID files or file capabilities.
 *
 * Before all that, the sandbox leaves the caller's session keyring for a
 * new, empty one: keys are credentials too, and the keyring is inherited
 * across fork and exec like the ids.
 */
#include "creds.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The highest capability number of the running kernel, which may know
   more than the headers this was built with. */
static int
cap_last (void)
{
  static int last = -1;
  FILE *f;

  if (last >= 0)
    return last;

  last = CAP_LAST_CAP;
  f = fopen ("/proc/sys/kernel/cap_last_cap", "re");
  if (f != NULL)
    {
      if (fscanf (f, "%d", &last) != 1 || last < 0 || last > 63)
        last = CAP_LAST_CAP;
      fclose (f);
    }
  return last;
}

static bool
has_cap (uint64_t set, int cap)
{
  return (set >> cap) & 1;
}

/* Drops every capability the plan's bounding set does not keep. */
static int
limit_bounding_set (const struct cdb_plan *plan, struct cdb_error *err)
{
  int cap;

  for (cap = 0; cap <= cap_last (); cap++)
    {
      if (has_cap (plan->caps.bounding, cap))
        continue;
      if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
        return cdb_fail (err, errno, "capabilities: drop %s from bounding set",
                         capng_capability_to_name (cap));
    }
  return 0;
}

/* In a user namespace made by an unprivileged caller, setgroups(2) is
   denied: the kernel forbids it so that a user cannot shed a group that
   restricts access. That is acceptable only when nothing would be shed
   but the caller's own primary group, which the service has as its gid
   anyway (a login shell lists it among the supplementary groups). */
static bool
only_primary_group (gid_t gid)
{
  gid_t groups[2];
  int n = getgroups (2, groups);

  return n == 0 || (n == 1 && groups[0] == gid);
}

static int
clear_groups (gid_t gid, struct cdb_error *err)
{
  if (setgroups (0, NULL) == 0)
    return 0;

  if (errno == EPERM && only_primary_group (gid))
    return 0;

  return cdb_fail (err, errno,
                   "user: clear supplementary groups (a user namespace "
                   "cannot drop the caller's groups other than its "
                   "primary one; run as a user without them, as with "
                   "setpriv --clear-groups, or as root)");
}

static int
change_ids (const struct cdb_plan *plan, struct cdb_error *err)
{
  bool keep = plan->caps.permitted != 0;

  if (clear_groups (plan->gid, err) < 0)
    return -1;

  if (setresgid (plan->gid, plan->gid, plan->gid) < 0)
    return cdb_fail (err, errno, "user: setresgid %u", (unsigned) plan->gid);

  /* Keep the permitted set across the uid change only when the plan
     grants a capability back; otherwise let the kernel clear it. */
  if (prctl (PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0) < 0)
    return cdb_fail (err, errno, "user: set keepcaps");

  if (setresuid (plan->uid, plan->uid, plan->uid) < 0)
    return cdb_fail (err, errno, "user: setresuid %u", (unsigned) plan->uid);

  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return cdb_fail (err, errno, "user: clear keepcaps");
  return 0;
}

static void
select_caps (uint64_t set, capng_type_t type)
{
  int cap;

  for (cap = 0; cap <= cap_last (); cap++)
    if (has_cap (set, cap))
      capng_update (CAPNG_ADD, type, (unsigned) cap);
}

static int
set_process_caps (const struct cdb_plan *plan, struct cdb_error *err)
{
  capng_clear (CAPNG_SELECT_CAPS);
  select_caps (plan->caps.permitted, CAPNG_PERMITTED);
  select_caps (plan->caps.effective, CAPNG_EFFECTIVE);
  select_caps (plan->caps.inheritable, CAPNG_INHERITABLE);

  if (capng_apply (CAPNG_SELECT_CAPS) < 0)
    return cdb_fail (err, errno,
                     "capabilities: set permitted, effective "
                     "and inheritable sets");
  return 0;
}

static int
set_ambient_caps (const struct cdb_plan *plan, struct cdb_error *err)
{
  int cap;

  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    return cdb_fail (err, errno, "capabilities: clear ambient set");

  for (cap = 0; cap <= cap_last (); cap++)
    {
      if (!has_cap (plan->caps.ambient, cap))
        continue;
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
        return cdb_fail (err, errno, "capabilities: raise %s in ambient set",
                         capng_capability_to_name (cap));
    }
  return 0;
}

/* A kernel built without keys has no keyring to leave. */
static int
leave_session_keyring (struct cdb_error *err)
{
  if (syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0
      && errno != ENOSYS)
    return cdb_fail (err, errno, "keyring: join a new session keyring");
  return 0;
}

int
cdb_creds_drop (const struct cdb_plan *plan, struct cdb_error *err)
{
  if (leave_session_keyring (err) < 0)
    return -1;

  if (limit_bounding_set (plan, err) < 0)
    return -1;

  if (change_ids (plan, err) < 0)
    return -1;

  if (set_process_caps (plan, err) < 0)
    return -1;

  if (set_ambient_caps (plan, err) < 0)
    return -1;

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return cdb_fail (err, errno, "no_new_privs: set");
  return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The last check before exec. Each measure was applied by a call that
 * reported success; this reads the result back from /proc and statvfs, so
 * that a kernel or library that silently did less (an ignored flag, a
 * capability set the library did not write) stops the start instead of
 * running the service unprotected.
 */
#include "verify.h"

#include <fcntl.h>
#include <inttypes.h>
#include <libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cleanup.h"

#define STATUS_MAX 8192

static int
read_status (char *buf, size_t size, struct cdb_error *err)
{
  _cleanup_close_ int fd = -1;
  ssize_t len;

  fd = open ("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return cdb_fail (err, errno, "verify: open /proc/self/status");

  len = read (fd, buf, size - 1);
  if (len < 0)
    return cdb_fail (err, errno, "verify: read /proc/self/status");
  buf[len] = '\0';
  return 0;
}

/* The value of a "Key:\tvalue" line, up to the end of the line. */
static int
status_field (const char *status, const char *key, char *out, size_t size,
              struct cdb_error *err)
{
  size_t keylen = strlen (key);
  const char *line = status;
  size_t len;

  while (line != NULL)
    {
      if (strncmp (line, key, keylen) == 0 && line[keylen] == ':')
        {
          line += keylen + 1;
          line += strspn (line, " \t");
          len = strcspn (line, "\n");
          if (len >= size)
            len = size - 1;
          memcpy (out, line, len);
          out[len] = '\0';
          return 0;
        }
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  return cdb_fail (err, 0, "verify: %s: not reported by /proc/self/status",
                   key);
}

static int
expect_field (const char *status, const char *key, const char *expected,
              struct cdb_error *err)
{
  char found[256];

  if (status_field (status, key, found, sizeof found, err) < 0)
    return -1;

  if (strcmp (found, expected) != 0)
    return cdb_fail (err, 0, "verify: %s: expected \"%s\", found \"%s\"", key,
                     expected, found);
  return 0;
}

static int
expect_ids (const char *status, const char *key, unsigned id,
            struct cdb_error *err)
{
  char expected[64];

  snprintf (expected, sizeof expected, "%u\t%u\t%u\t%u", id, id, id, id);
  return expect_field (status, key, expected, err);
}

/* No supplementary group, or only the primary one, which a user
   namespace cannot drop and which grants nothing the gid does not. */
static int
expect_groups (const char *status, gid_t gid, struct cdb_error *err)
{
  char found[256];
  char primary[32];
  size_t len;

  if (status_field (status, "Groups", found, sizeof found, err) < 0)
    return -1;

  /* The kernel ends the list with a space. */
  len = strlen (found);
  while (len > 0 && found[len - 1] == ' ')
    found[--len] = '\0';

  snprintf (primary, sizeof primary, "%u", (unsigned) gid);
  if (found[0] != '\0' && strcmp (found, primary) != 0)
    return cdb_fail (err, 0, "verify: Groups: expected none, found \"%s\"",
                     found);
  return 0;
}

static int
expect_caps (const char *status, const char *key, uint64_t set,
             struct cdb_error *err)
{
  char expected[32];

  snprintf (expected, sizeof expected, "%016" PRIx64, set);
  return expect_field (status, key, expected, err);
}

static int
verify_status (const struct cdb_plan *plan, struct cdb_error *err)
{
  char status[STATUS_MAX];
  const struct cdb_caps *c = &plan->caps;

  if (read_status (status, sizeof status, err) < 0)
    return -1;

  if (expect_ids (status, "Uid", plan->uid, err) < 0
      || expect_ids (status, "Gid", plan->gid, err) < 0
      || expect_groups (status, plan->gid, err) < 0
      || expect_caps (status, "CapInh", c->inheritable, err) < 0
      || expect_caps (status, "CapPrm", c->permitted, err) < 0
      || expect_caps (status, "CapEff", c->effective, err) < 0
      || expect_caps (status, "CapBnd", c->bounding, err) < 0
      || expect_caps (status, "CapAmb", c->ambient, err) < 0
      || expect_field (status, "NoNewPrivs", "1", err) < 0
      || expect_field (status, "Seccomp", "2", err) < 0)
    return -1;
  return 0;
}

static int
verify_root_readonly (struct cdb_error *err)
{
  struct statvfs st;

  if (statvfs ("/", &st) < 0)
    return cdb_fail (err, errno, "verify: statvfs /");

  if (!(st.f_flag & ST_RDONLY))
    return cdb_fail (err, 0, "verify: root: / is writable");
  return 0;
}

static const struct cdb_mount *
plan_tmp (const struct cdb_plan *plan)
{
  size_t i;

  for (i = 0; i < plan->n_mounts; i++)
    if (strcmp (plan->mounts[i].destination, "/tmp") == 0)
      return &plan->mounts[i];
  return NULL;
}

/* The topmost mount at /tmp must be the plan's tmpfs with its flags. */
static int
verify_tmp (const struct cdb_plan *plan, struct cdb_error *err)
{
  const struct cdb_mount *want = plan_tmp (plan);
  struct libmnt_table *table;
  struct libmnt_fs *fs;
  const char *options;
  int rc = -1;

  table = mnt_new_table_from_file ("/proc/self/mountinfo");
  if (table == NULL)
    return cdb_fail (err, errno, "verify: read /proc/self/mountinfo");

  fs = mnt_table_find_target (table, "/tmp", MNT_ITER_BACKWARD);
  options = fs ? mnt_fs_get_vfs_options (fs) : NULL;

  if (want == NULL || fs == NULL || options == NULL)
    cdb_fail (err, 0, "verify: /tmp: no mount");
  else if (strcmp (mnt_fs_get_fstype (fs), "tmpfs") != 0)
    cdb_fail (err, 0, "verify: /tmp: expected tmpfs, found %s",
              mnt_fs_get_fstype (fs));
  else if (mnt_match_options (options, "nosuid,nodev") != 1)
    cdb_fail (err, 0, "verify: /tmp: expected nosuid,nodev, found %s", options);
  else if (mnt_match_options (options, "ro") != !!(want->flags & MS_RDONLY))
    cdb_fail (err, 0,
              "verify: /tmp: read-only state differs from the "
              "plan: %s",
              options);
  else
    rc = 0;

  mnt_unref_table (table);
  return rc;
}

int
cdb_verify (const struct cdb_plan *plan, struct cdb_error *err)
{
  if (verify_status (plan, err) < 0)
    return -1;

  if (verify_root_readonly (err) < 0)
    return -1;

  return verify_tmp (plan, err);
}

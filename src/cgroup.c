/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's cgroup: limits of memory, CPU and tasks.
 *
 * Hosts come in three layouts: cgroup v2 alone (one tree at
 * /sys/fs/cgroup), v1 alone (a hierarchy per controller), and the hybrid
 * of both, where v1 hierarchies hold the controllers and a v2 tree is
 * mounted beside them with few or none. Rather than guess the layout,
 * each controller is looked up where the kernel says it is: a v1
 * hierarchy whose mount lists it, else the v2 tree if its
 * cgroup.controllers offers it. The sandbox's cgroup is made in each
 * hierarchy found: in a v1 hierarchy below the caller's own cgroup there,
 * so that limits on the caller bound the sandbox too; in the v2 tree at
 * its top (see place_v2).
 *
 * The parent makes the cgroup and moves the child into it before the
 * child is released, so nothing of the sandbox ever runs outside it.
 */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libmount.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

static const struct
{
  unsigned int bit;
  const char *name;
} controllers[] = {
  { CDB_CG_MEMORY, "memory" },
  { CDB_CG_CPU, "cpu" },
  { CDB_CG_PIDS, "pids" },
  { CDB_CG_CPUACCT, "cpuacct" },
};

#define N_CONTROLLERS (sizeof controllers / sizeof controllers[0])

/* ------------------------------------------------------------------ */
/* Small file helpers                                                  */
/* ------------------------------------------------------------------ */

static int
write_value (const char *dir, const char *file, const char *value,
             struct cdb_error *err)
{
  char path[PATH_MAX];
  _cleanup_close_ int fd = -1;
  size_t len = strlen (value);

  snprintf (path, sizeof path, "%s/%s", dir, file);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write (fd, value, len) != (ssize_t) len)
    return cdb_fail (err, errno, "cgroups: write %s to %s", value, path);
  return 0;
}

static int
write_int (const char *dir, const char *file, int64_t value,
           struct cdb_error *err)
{
  char text[32];

  snprintf (text, sizeof text, "%" PRId64, value);
  return write_value (dir, file, text, err);
}

static bool
file_exists (const char *dir, const char *file)
{
  char path[PATH_MAX];

  snprintf (path, sizeof path, "%s/%s", dir, file);
  return access (path, F_OK) == 0;
}

/* The number after "key " in a flat keyed file such as memory.events. */
static bool
read_keyed (const char *dir, const char *file, const char *key, uint64_t *value)
{
  char path[PATH_MAX];
  char name[64];
  unsigned long long v;
  FILE *f;
  bool found = false;

  snprintf (path, sizeof path, "%s/%s", dir, file);
  f = fopen (path, "re");
  if (f == NULL)
    return false;

  while (!found && fscanf (f, "%63s %llu", name, &v) == 2)
    if (strcmp (name, key) == 0)
      {
        *value = v;
        found = true;
      }
  fclose (f);
  return found;
}

static bool
read_number (const char *dir, const char *file, uint64_t *value)
{
  char path[PATH_MAX];
  unsigned long long v;
  FILE *f;
  bool ok;

  snprintf (path, sizeof path, "%s/%s", dir, file);
  f = fopen (path, "re");
  if (f == NULL)
    return false;

  ok = fscanf (f, "%llu", &v) == 1;
  fclose (f);
  if (ok)
    *value = v;
  return ok;
}

/* ------------------------------------------------------------------ */
/* Where the controllers are                                           */
/* ------------------------------------------------------------------ */

static bool
list_has (const char *list, const char *name)
{
  size_t len = strlen (name);
  const char *p = list;

  while ((p = strstr (p, name)) != NULL)
    {
      bool starts = p == list || p[-1] == ',' || p[-1] == ' ';
      bool ends
          = p[len] == '\0' || p[len] == ',' || p[len] == ' ' || p[len] == '\n';

      if (starts && ends)
        return true;
      p += len;
    }
  return false;
}

/* The caller's cgroup in the v1 hierarchy of a controller, as
   /proc/self/cgroup lists it: a v1 line names its controllers
   ("cpu,cpuacct"). */
static char *
own_cgroup (const char *controller)
{
  char line[1024];
  char *found = NULL;
  FILE *f = fopen ("/proc/self/cgroup", "re");

  if (f == NULL)
    return NULL;

  while (found == NULL && fgets (line, sizeof line, f) != NULL)
    {
      char *list = strchr (line, ':');
      char *path = list ? strchr (list + 1, ':') : NULL;

      if (path == NULL)
        continue;
      *path++ = '\0';
      path[strcspn (path, "\n")] = '\0';

      list++;
      if (*list != '\0' && list_has (list, controller))
        found = strdup (path);
    }
  fclose (f);
  return found;
}

/* The mount point of a cgroup file system: the v1 hierarchy holding a
   controller, or with controller NULL the v2 tree. */
static char *
find_mount (struct libmnt_table *table, const char *fstype,
            const char *controller)
{
  struct libmnt_iter *iter = mnt_new_iter (MNT_ITER_FORWARD);
  struct libmnt_fs *fs;
  char *target = NULL;

  while (target == NULL && iter && mnt_table_next_fs (table, iter, &fs) == 0)
    {
      const char *opts = mnt_fs_get_fs_options (fs);

      if (strcmp (mnt_fs_get_fstype (fs), fstype) != 0)
        continue;
      if (controller != NULL && (opts == NULL || !list_has (opts, controller)))
        continue;

      target = strdup (mnt_fs_get_target (fs));
    }
  mnt_free_iter (iter);
  return target;
}

static struct cdb_cgroup_dir *
dir_for (struct cdb_cgroup *cg, const char *path, bool unified)
{
  size_t i;

  for (i = 0; i < cg->n; i++)
    if (strcmp (cg->dirs[i].path, path) == 0)
      return &cg->dirs[i];

  if (cg->n == CDB_CGROUP_DIRS)
    return NULL;

  cg->dirs[cg->n].path = strdup (path);
  cg->dirs[cg->n].unified = unified;
  cg->dirs[cg->n].created = false;
  cg->dirs[cg->n].controllers = 0;
  return cg->dirs[cg->n].path ? &cg->dirs[cg->n++] : NULL;
}

/* Records that the controller bit lives in the sandbox's directory below
   the caller's cgroup own of the hierarchy mounted at mount. */
static int
place (struct cdb_cgroup *cg, unsigned int bit, const char *mount,
       const char *own, bool unified, struct cdb_error *err)
{
  _cleanup_free_ char *path = NULL;
  struct cdb_cgroup_dir *dir;

  if (asprintf (&path, "%s%s/%s", mount, strcmp (own, "/") == 0 ? "" : own,
                cg->name)
      < 0)
    return cdb_fail (err, ENOMEM, "cgroups: make a path");

  dir = dir_for (cg, path, unified);
  if (dir == NULL)
    return cdb_fail (err, ENOMEM, "cgroups: record %s", path);

  dir->controllers |= bit;
  return 0;
}

static bool
v2_offers (const char *mount, const char *own, const char *name)
{
  _cleanup_free_ char *path = NULL;
  char list[512] = "";
  FILE *f;

  if (asprintf (&path, "%s%s/cgroup.controllers", mount, own) < 0)
    return false;

  f = fopen (path, "re");
  if (f == NULL)
    return false;
  if (fgets (list, sizeof list, f) == NULL)
    list[0] = '\0';
  fclose (f);
  return list_has (list, name);
}

/* In the v2 tree the sandbox's cgroup goes at the top, not below the
   caller's: a v2 cgroup that holds processes itself, as the caller's does
   (cdb-run is in it), cannot hand controllers down to a child. The top is
   exempt from that rule, and a v2 host enables the usual controllers
   there. */
static int
place_v2 (struct cdb_cgroup *cg, unsigned int bit, const char *name,
          const char *mount, struct cdb_error *err)
{
  if (mount == NULL)
    return cdb_fail (err, 0,
                     "cgroups: %s: the controller is in no v1 hierarchy and "
                     "there is no v2 tree",
                     name);

  if (!v2_offers (mount, "", name))
    return cdb_fail (err, 0,
                     "cgroups: %s: the controller is in no v1 hierarchy and "
                     "the v2 tree at %s does not offer it",
                     name, mount);

  return place (cg, bit, mount, "/", true, err);
}

static unsigned int
needed_controllers (const struct cdb_resources *r)
{
  unsigned int needed = 0;

  if (r->memory_limit != CDB_UNLIMITED || r->memory_swap != CDB_UNLIMITED)
    needed |= CDB_CG_MEMORY;
  if (r->cpu_quota != CDB_UNLIMITED || r->cpu_shares != 0)
    needed |= CDB_CG_CPU;
  if (r->pids_limit != CDB_UNLIMITED)
    needed |= CDB_CG_PIDS;
  return needed;
}

/* Decides, controller by controller, which directory will hold it. A
   separate v1 cpuacct hierarchy is joined too, when there is one, so the
   sandbox's CPU time is accounted for on its own. */
static int
locate (struct cdb_cgroup *cg, unsigned int needed, struct cdb_error *err)
{
  struct libmnt_table *table;
  _cleanup_free_ char *v2_mount = NULL;
  size_t i;
  int rc = 0;

  table = mnt_new_table_from_file ("/proc/self/mountinfo");
  if (table == NULL)
    return cdb_fail (err, errno, "cgroups: read /proc/self/mountinfo");
  v2_mount = find_mount (table, "cgroup2", NULL);

  for (i = 0; rc == 0 && i < N_CONTROLLERS; i++)
    {
      unsigned int bit = controllers[i].bit;
      const char *name = controllers[i].name;
      _cleanup_free_ char *mount = NULL;
      _cleanup_free_ char *own = NULL;

      if (!(needed & bit) && !(bit == CDB_CG_CPUACCT && needed & CDB_CG_CPU))
        continue;

      mount = find_mount (table, "cgroup", name);
      if (mount != NULL && (own = own_cgroup (name)) != NULL)
        rc = place (cg, bit, mount, own, false, err);
      else if (bit != CDB_CG_CPUACCT)
        rc = place_v2 (cg, bit, name, v2_mount, err);
    }

  mnt_unref_table (table);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

static bool
swap_is_on (void)
{
  char line[256];
  int lines = 0;
  FILE *f = fopen ("/proc/swaps", "re");

  if (f == NULL)
    return false;
  while (fgets (line, sizeof line, f) != NULL)
    lines++;
  fclose (f);
  return lines > 1;
}

/* Without swap accounting a cgroup's swap cannot be bounded. That only
   matters when the host has swap to use. */
static int
no_swap_control (const char *dir, struct cdb_error *err)
{
  if (!swap_is_on ())
    return 0;
  return cdb_fail (err, 0,
                   "cgroups: memory: %s has no swap accounting "
                   "and the host has swap, so the service's swap "
                   "cannot be bounded (set "
                   "$.linux.resources.memory.swap to -1 to allow "
                   "swap)",
                   dir);
}

static int
limit_memory_v1 (const char *dir, const struct cdb_resources *r,
                 struct cdb_error *err)
{
  if (write_int (dir, "memory.limit_in_bytes", r->memory_limit, err) < 0)
    return -1;

  if (file_exists (dir, "memory.memsw.limit_in_bytes"))
    return write_int (dir, "memory.memsw.limit_in_bytes", r->memory_swap, err);

  return r->memory_swap == CDB_UNLIMITED ? 0 : no_swap_control (dir, err);
}

static int
write_max (const char *dir, const char *file, int64_t value,
           struct cdb_error *err)
{
  if (value == CDB_UNLIMITED)
    return write_value (dir, file, "max", err);
  return write_int (dir, file, value, err);
}

static int
limit_memory_v2 (const char *dir, const struct cdb_resources *r,
                 struct cdb_error *err)
{
  int64_t swap = CDB_UNLIMITED;

  if (write_max (dir, "memory.max", r->memory_limit, err) < 0)
    return -1;

  if (r->memory_swap != CDB_UNLIMITED)
    swap = r->memory_swap - r->memory_limit;

  if (file_exists (dir, "memory.swap.max"))
    return write_max (dir, "memory.swap.max", swap, err);
  return swap == CDB_UNLIMITED ? 0 : no_swap_control (dir, err);
}

static int
limit_cpu_v1 (const char *dir, const struct cdb_resources *r,
              struct cdb_error *err)
{
  if (write_int (dir, "cpu.cfs_period_us", r->cpu_period, err) < 0
      || write_int (dir, "cpu.cfs_quota_us", r->cpu_quota, err) < 0)
    return -1;

  if (r->cpu_shares != 0)
    return write_int (dir, "cpu.shares", r->cpu_shares, err);
  return 0;
}

/* cpu.weight runs from 1 to 10000 where v1's shares run from 2 to
   262144; the same linear map as other runtimes use. */
static int
limit_cpu_v2 (const char *dir, const struct cdb_resources *r,
              struct cdb_error *err)
{
  char max[64];

  if (r->cpu_quota == CDB_UNLIMITED)
    snprintf (max, sizeof max, "max %" PRId64, r->cpu_period);
  else
    snprintf (max, sizeof max, "%" PRId64 " %" PRId64, r->cpu_quota,
              r->cpu_period);

  if (write_value (dir, "cpu.max", max, err) < 0)
    return -1;

  if (r->cpu_shares != 0)
    return write_int (dir, "cpu.weight",
                      1 + ((r->cpu_shares - 2) * 9999) / 262142, err);
  return 0;
}

static int
write_limits (const struct cdb_cgroup_dir *dir, const struct cdb_resources *r,
              struct cdb_error *err)
{
  unsigned int c = dir->controllers;
  const char *d = dir->path;

  if (c & CDB_CG_MEMORY
      && (dir->unified ? limit_memory_v2 (d, r, err)
                       : limit_memory_v1 (d, r, err))
             < 0)
    return -1;

  if (c & CDB_CG_CPU
      && (dir->unified ? limit_cpu_v2 (d, r, err) : limit_cpu_v1 (d, r, err))
             < 0)
    return -1;

  if (c & CDB_CG_PIDS && write_max (d, "pids.max", r->pids_limit, err) < 0)
    return -1;
  return 0;
}

/* In the v2 tree a controller must be handed down by the parent before a
   child cgroup can use it. */
static int
delegate_v2 (const struct cdb_cgroup_dir *dir, struct cdb_error *err)
{
  _cleanup_free_ char *parent = strdup (dir->path);
  size_t i;

  if (parent == NULL)
    return cdb_fail (err, ENOMEM, "cgroups: copy %s", dir->path);
  *strrchr (parent, '/') = '\0';

  for (i = 0; i < N_CONTROLLERS; i++)
    {
      char change[32];

      if (!(dir->controllers & controllers[i].bit))
        continue;

      snprintf (change, sizeof change, "+%s", controllers[i].name);
      if (write_value (parent, "cgroup.subtree_control", change, err) < 0)
        return -1;
    }
  return 0;
}

/* A cdb-run killed with SIGKILL cannot remove its cgroup. The next one
   removes such leftovers beside its own: a "cdb-run.*" cgroup that has
   been there for a minute with no process in it. A sandbox being started
   has its first process in its cgroup within milliseconds, and rmdir(2)
   removes only an empty cgroup, so no live sandbox is touched. Names are
   not trusted for this: pids repeat, across PID namespaces above all. */
#define LEFTOVER_AGE 60

static void
sweep_leftovers (const char *dir)
{
  _cleanup_free_ char *parent = strdup (dir);
  time_t now = time (NULL);
  struct dirent *entry;
  struct stat st;
  DIR *d;

  if (parent == NULL)
    return;
  *strrchr (parent, '/') = '\0';

  d = opendir (parent);
  if (d == NULL)
    return;

  while ((entry = readdir (d)) != NULL)
    {
      if (strncmp (entry->d_name, "cdb-run.", 8) != 0
          || fstatat (dirfd (d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0
          || !S_ISDIR (st.st_mode) || now - st.st_mtime < LEFTOVER_AGE)
        continue;

      unlinkat (dirfd (d), entry->d_name, AT_REMOVEDIR);
    }
  closedir (d);
}

static int
make_dir (struct cdb_cgroup_dir *dir, struct cdb_error *err)
{
  sweep_leftovers (dir->path);

  if (dir->unified && delegate_v2 (dir, err) < 0)
    return -1;

  if (mkdir (dir->path, 0755) < 0)
    return cdb_fail (err, 0, "cgroups: create %s: %s%s", dir->path,
                     strerror (errno),
                     errno == EACCES || errno == EROFS
                         ? " (limits need root or a delegated cgroup; a "
                           "spec can turn each off with -1 in "
                           "$.linux.resources)"
                         : "");

  dir->created = true;
  return 0;
}

/* "cdb-run.<pid>.<random>": the pid says whose it is, the random part
   keeps two cdb-runs of equal pid in different PID namespaces apart. */
static int
name_cgroup (struct cdb_cgroup *cg, struct cdb_error *err)
{
  uint32_t nonce;

  if (getrandom (&nonce, sizeof nonce, 0) != (ssize_t) sizeof nonce)
    return cdb_fail (err, errno, "cgroups: make a name");

  snprintf (cg->name, sizeof cg->name, "cdb-run.%d.%08" PRIx32, (int) getpid (),
            nonce);
  return 0;
}

int
cdb_cgroup_create (const struct cdb_plan *plan, struct cdb_cgroup *cg,
                   struct cdb_error *err)
{
  unsigned int needed = needed_controllers (&plan->resources);
  size_t i;

  memset (cg, 0, sizeof *cg);
  if (needed == 0)
    return 0;

  if (name_cgroup (cg, err) < 0)
    return -1;

  if (locate (cg, needed, err) < 0)
    goto fail;

  for (i = 0; i < cg->n; i++)
    if (make_dir (&cg->dirs[i], err) < 0)
      goto fail;

  for (i = 0; i < cg->n; i++)
    if (write_limits (&cg->dirs[i], &plan->resources, err) < 0)
      goto fail;
  return 0;

fail:
  cdb_cgroup_destroy (cg);
  return -1;
}

int
cdb_cgroup_enter (const struct cdb_cgroup *cg, pid_t pid, struct cdb_error *err)
{
  size_t i;

  for (i = 0; i < cg->n; i++)
    if (write_int (cg->dirs[i].path, "cgroup.procs", pid, err) < 0)
      return -1;
  return 0;
}

bool
cdb_cgroup_oom_killed (const struct cdb_cgroup *cg, uint64_t *peak)
{
  uint64_t kills = 0;
  size_t i;

  *peak = 0;
  for (i = 0; i < cg->n; i++)
    {
      const struct cdb_cgroup_dir *dir = &cg->dirs[i];

      if (!(dir->controllers & CDB_CG_MEMORY))
        continue;

      if (dir->unified)
        {
          read_keyed (dir->path, "memory.events", "oom_kill", &kills);
          read_number (dir->path, "memory.peak", peak);
        }
      else
        {
          read_keyed (dir->path, "memory.oom_control", "oom_kill", &kills);
          read_number (dir->path, "memory.max_usage_in_bytes", peak);
        }
    }
  return kills > 0;
}

/* The processes are gone when this runs: PID 1 of the sandbox exits only
   after the kernel has killed and reaped everything else in its PID
   namespace. The kernel may still be releasing the cgroup for a moment,
   hence the bounded retry. */
void
cdb_cgroup_destroy (struct cdb_cgroup *cg)
{
  size_t i;
  int tries;

  for (i = 0; i < cg->n; i++)
    {
      for (tries = 0; cg->dirs[i].created && tries < 100; tries++)
        {
          if (rmdir (cg->dirs[i].path) == 0 || errno == ENOENT)
            break;
          if (errno != EBUSY)
            break;
          usleep (10000);
        }
      free (cg->dirs[i].path);
    }
  memset (cg, 0, sizeof *cg);
}

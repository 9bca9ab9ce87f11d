/* SPDX-License-Identifier: MIT */
/*
 * The mount stage.
 *
 * The root is copied with open_tree(2) and made read-only with
 * mount_setattr(2) while the copy is still detached, so no path of the new
 * root is ever writable, not even for the moment between a bind and its
 * read-only remount. Then the copy is attached at a staging point and every
 * further mount is placed through a descriptor opened with openat2(2) and
 * RESOLVE_IN_ROOT: a symbolic link inside the root cannot send a mount to a
 * path of the host. The sources of bind mounts are copied first, while the
 * host's tree is whole. Finally pivot_root(2) makes the copy "/" and the
 * old root, staging point included, is detached.
 */
#include "mounts.h"

#include <fcntl.h>
#include <libmount.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

/* The host's /tmp, hidden behind a private tmpfs in the new mount
   namespace only, holds the root copy until pivot_root. Every Linux host
   has it, and nothing of the host is changed by covering it here. */
#define STAGE_DIR "/tmp"
#define STAGE_ROOT "root"

#define PROC_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define DEV_FLAGS (MS_NOSUID | MS_NOEXEC)

/* Host device nodes bound into the sandbox's /dev. */
static const char *const dev_nodes[] = {
  "null", "zero", "full", "random", "urandom", "tty", NULL,
};

static const struct
{
  const char *name;
  const char *target;
} dev_links[] = {
  { "ptmx", "pts/ptmx" },          { "fd", "/proc/self/fd" },
  { "stdin", "/proc/self/fd/0" },  { "stdout", "/proc/self/fd/1" },
  { "stderr", "/proc/self/fd/2" },
};

static int
sys_openat2 (int dirfd, const char *path, int flags, uint64_t resolve)
{
  struct open_how how = {
    .flags = (uint64_t) flags | O_CLOEXEC,
    .resolve = resolve,
  };

  return (int) syscall (SYS_openat2, dirfd, path, &how, sizeof how);
}

/* Opens path inside the root as an O_PATH handle to mount on. Absolute
   links and ".." resolve within rootfd, as they will after pivot_root. */
static int
open_in_root (int rootfd, const char *path, struct cdb_error *err)
{
  int fd;

  while (*path == '/')
    path++;
  if (*path == '\0')
    path = ".";

  fd = sys_openat2 (rootfd, path, O_PATH | O_NOFOLLOW,
                    RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  if (fd < 0)
    return cdb_fail (err, errno, "mounts: open mount point /%s in the root",
                     path);
  return fd;
}

static void
fd_path (char *buf, size_t size, int fd)
{
  snprintf (buf, size, "/proc/self/fd/%d", fd);
}

static unsigned int
attr_from_flags (unsigned long flags)
{
  unsigned int attr = 0;

  if (flags & MS_RDONLY)
    attr |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID)
    attr |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV)
    attr |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC)
    attr |= MOUNT_ATTR_NOEXEC;
  return attr;
}

/* A detached copy of the tree at path, with attributes already applied. */
static int
clone_tree (int dirfd, const char *path, bool recursive, unsigned long flags,
            const char *what, struct cdb_error *err)
{
  unsigned int rec = recursive ? AT_RECURSIVE : 0;
  unsigned int empty = path[0] == '\0' ? AT_EMPTY_PATH : 0;
  struct mount_attr attr = {
    .attr_set = attr_from_flags (flags),
    .propagation = MS_PRIVATE,
  };
  _cleanup_close_ int tree = -1;

  tree = open_tree (dirfd, path,
                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec | empty);
  if (tree < 0)
    return cdb_fail (err, errno, "mounts: copy %s", what);

  if (mount_setattr (tree, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0)
    return cdb_fail (err, errno, "mounts: set attributes of the copy of %s",
                     what);

  return take_fd (&tree);
}

static int
attach_tree (int tree, int target, const char *what, struct cdb_error *err)
{
  if (move_mount (tree, "", target, "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
      < 0)
    return cdb_fail (err, errno, "mounts: attach %s", what);
  return 0;
}

static int
bind_into (int target, const char *source, bool recursive, unsigned long flags,
           const char *what, struct cdb_error *err)
{
  _cleanup_close_ int tree = -1;

  tree = clone_tree (AT_FDCWD, source, recursive, flags, what, err);
  if (tree < 0)
    return -1;
  return attach_tree (tree, target, what, err);
}

static int
mount_fs_at (int target, const char *fstype, unsigned long flags,
             const char *data, const char *what, struct cdb_error *err)
{
  char path[64];

  fd_path (path, sizeof path, target);
  if (mount (fstype, path, fstype, flags, data) < 0)
    return cdb_fail (err, errno, "mounts: mount %s on %s", fstype, what);
  return 0;
}

/* Makes every mount of the new namespace private, so that nothing done
   here propagates back to the host's namespace. */
static int
make_private (struct cdb_error *err)
{
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return cdb_fail (err, errno, "mounts: make / private");
  return 0;
}

/* Returns a descriptor of the root copy, attached and read-only. */
/* The sandbox's own /etc/hosts, so that its hostname resolves to the
   loopback address as on any host, instead of going to the host's DNS and
   failing there. Written into the staging tmpfs, bound over the root's
   /etc/hosts when the root has one. */
#define STAGE_HOSTS "hosts"

static int
write_hosts (int stage, const char *hostname, struct cdb_error *err)
{
  _cleanup_close_ int fd = -1;
  char text[256];
  int len;

  len = snprintf (text, sizeof text,
                  "127.0.0.1\tlocalhost %s\n"
                  "::1\tlocalhost ip6-localhost ip6-loopback %s\n",
                  hostname, hostname);

  fd = openat (stage, STAGE_HOSTS, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
               0644);
  if (fd < 0 || len < 0 || (size_t) len >= sizeof text
      || write (fd, text, (size_t) len) != len)
    return cdb_fail (err, errno, "mounts: write the sandbox's /etc/hosts");
  return 0;
}

static int
mount_hosts (int rootfd, struct cdb_error *err)
{
  _cleanup_close_ int target = -1;
  struct stat st;

  target = open_in_root (rootfd, "/etc/hosts", err);
  if (target < 0 && err->errnum == ENOENT)
    return 0;
  if (target < 0)
    return -1;

  if (fstat (target, &st) < 0 || !S_ISREG (st.st_mode))
    return 0;

  return bind_into (target, STAGE_DIR "/" STAGE_HOSTS, false,
                    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "/etc/hosts",
                    err);
}

static int
attach_root (const char *root_path, const char *hostname, struct cdb_error *err)
{
  _cleanup_close_ int tree = -1;
  _cleanup_close_ int stage = -1;
  char what[PATH_MAX + 32];
  int rootfd;

  /* Copied before the staging tmpfs exists, so a root below /tmp is
     still reachable and the copy does not contain the stage. */
  snprintf (what, sizeof what, "%s ($.root.path)", root_path);
  tree = clone_tree (AT_FDCWD, root_path, true,
                     MS_RDONLY | MS_NOSUID | MS_NODEV, what, err);
  if (tree < 0)
    return -1;

  if (mount ("tmpfs", STAGE_DIR, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
             "size=16k,mode=0700")
      < 0)
    return cdb_fail (err, errno, "mounts: staging tmpfs on %s", STAGE_DIR);

  stage = open (STAGE_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (stage < 0)
    return cdb_fail (err, errno, "mounts: open %s", STAGE_DIR);

  if (mkdirat (stage, STAGE_ROOT, 0700) < 0)
    return cdb_fail (err, errno, "mounts: create %s/%s", STAGE_DIR, STAGE_ROOT);

  if (write_hosts (stage, hostname, err) < 0)
    return -1;

  if (move_mount (tree, "", stage, STAGE_ROOT, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return cdb_fail (err, errno, "mounts: attach root %s", root_path);

  rootfd = openat (stage, STAGE_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return cdb_fail (err, errno, "mounts: open the new root");
  return rootfd;
}

static int
mount_one (int rootfd, const struct cdb_mount *m, int source_tree,
           struct cdb_error *err)
{
  _cleanup_close_ int target = -1;

  target = open_in_root (rootfd, m->destination, err);
  if (target < 0)
    return cdb_fail (err, err->errnum,
                     "mounts: open mount point %s ($.mounts) in the root",
                     m->destination);

  if (m->kind == CDB_MOUNT_TMPFS)
    return mount_fs_at (target, "tmpfs", m->flags, m->data, m->destination,
                        err);

  return attach_tree (source_tree, target, m->destination, err);
}

/* Kernel interfaces a bind mount would open to the service even when
   read-only: /proc's magic links lead to other processes' open files and
   roots, where writes land on the host; sysfs, cgroupfs and their kin are
   the kernel's own knobs; devpts holds the host's terminals. */
static const char *const interface_fstypes[] = {
  "proc",       "sysfs",       "cgroup", "cgroup2",  "debugfs", "tracefs",
  "securityfs", "bpf",         "devpts", "efivarfs", "pstore",  "configfs",
  "fusectl",    "binfmt_misc", "mqueue", NULL,
};

static const char *
interface_name (const char *fstype)
{
  size_t i;

  for (i = 0; interface_fstypes[i] != NULL; i++)
    if (strcmp (fstype, interface_fstypes[i]) == 0)
      return interface_fstypes[i];
  return NULL;
}

/* The first mount at or below dir (any depth, or only dir itself) whose
   file system is a kernel interface; NULL when there is none. */
static char *
interface_below (const char *dir, bool recursive)
{
  struct libmnt_table *table = mnt_new_table_from_file ("/proc/self/mountinfo");
  struct libmnt_iter *iter = mnt_new_iter (MNT_ITER_FORWARD);
  size_t len = strlen (dir);
  struct libmnt_fs *fs;
  char *found = NULL;

  while (found == NULL && table && iter
         && mnt_table_next_fs (table, iter, &fs) == 0)
    {
      const char *target = mnt_fs_get_target (fs);
      bool at = strcmp (target, dir) == 0;
      bool below = recursive && strncmp (target, dir, len) == 0
                   && (len == 1 || target[len] == '/');

      if ((at || below) && interface_name (mnt_fs_get_fstype (fs)))
        found = strdup (target);
    }
  mnt_free_iter (iter);
  mnt_unref_table (table);
  return found;
}

static bool
is_interface_fs (const char *path)
{
  static const unsigned long magics[] = {
    PROC_SUPER_MAGIC,   SYSFS_MAGIC,    CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
    DEBUGFS_MAGIC,      TRACEFS_MAGIC,  SECURITYFS_MAGIC,   BPF_FS_MAGIC,
    DEVPTS_SUPER_MAGIC, EFIVARFS_MAGIC, PSTOREFS_MAGIC,     BINFMTFS_MAGIC,
  };
  struct statfs st;
  size_t i;

  if (statfs (path, &st) < 0)
    return false;
  for (i = 0; i < sizeof magics / sizeof magics[0]; i++)
    if ((unsigned long) st.f_type == magics[i])
      return true;
  return false;
}

/* Checks the source of a bind, resolved as the kernel will resolve it. */
static int
check_bind_source (const struct cdb_mount *m, struct cdb_error *err)
{
  _cleanup_free_ char *real = realpath (m->source, NULL);
  _cleanup_free_ char *found = NULL;

  if (real == NULL)
    return cdb_fail (err, errno, "mounts: resolve %s ($.mounts)", m->source);

  /* A path inside an interface (/proc/1, say) is no mount point of its
     own: its file system tells. Below it, its mounts do. */
  if (is_interface_fs (real))
    found = strdup (real);
  else
    found = interface_below (real, m->flags & MS_REC);

  if (found != NULL)
    return cdb_fail (err, 0,
                     "mounts: bind %s ($.mounts): refused by the policy: it "
                     "holds %s, a kernel interface of the host",
                     m->source, found);
  return 0;
}

static void
close_trees (int *trees, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (trees[i] >= 0)
      close (trees[i]);
  free (trees);
}

/* Copies the source of every bind mount while the host's tree is still in
   view: the staging tmpfs will cover the host's /tmp. Returns an array of
   tree descriptors, -1 where a mount is not a bind. */
static int *
copy_bind_sources (const struct cdb_plan *plan, struct cdb_error *err)
{
  int *trees = calloc (plan->n_mounts + 1, sizeof *trees);
  size_t i;

  if (trees == NULL)
    {
      cdb_fail (err, errno, "mounts: allocate");
      return NULL;
    }

  for (i = 0; i < plan->n_mounts; i++)
    {
      const struct cdb_mount *m = &plan->mounts[i];
      char what[PATH_MAX + 64];

      trees[i] = -1;
      if (m->kind != CDB_MOUNT_BIND)
        continue;

      if (check_bind_source (m, err) < 0)
        {
          close_trees (trees, i);
          return NULL;
        }

      snprintf (what, sizeof what, "%s for %s ($.mounts)", m->source,
                m->destination);
      trees[i] = clone_tree (AT_FDCWD, m->source, m->flags & MS_REC, m->flags,
                             what, err);
      if (trees[i] < 0)
        {
          close_trees (trees, i);
          return NULL;
        }
    }
  return trees;
}

static int
mount_proc (int rootfd, struct cdb_error *err)
{
  _cleanup_close_ int target = -1;

  target = open_in_root (rootfd, "/proc", err);
  if (target < 0)
    return -1;
  return mount_fs_at (target, "proc", PROC_FLAGS, NULL, "/proc", err);
}

static int
create_dev_node (int devfd, const char *name, struct cdb_error *err)
{
  char host_path[64];
  _cleanup_close_ int file = -1;
  _cleanup_close_ int target = -1;

  file = openat (devfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
  if (file < 0)
    return cdb_fail (err, errno, "mounts: create /dev/%s", name);

  target = openat (devfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0)
    return cdb_fail (err, errno, "mounts: open /dev/%s", name);

  /* Device nodes are bound from the host rather than created with
     mknod(2): that works the same inside a user namespace. */
  snprintf (host_path, sizeof host_path, "/dev/%s", name);
  return bind_into (target, host_path, false, DEV_FLAGS, host_path, err);
}

static int
mount_dev_subdir (int devfd, const char *name, const char *fstype,
                  unsigned long flags, const char *data, struct cdb_error *err)
{
  _cleanup_close_ int target = -1;
  char what[32];

  snprintf (what, sizeof what, "/dev/%s", name);
  if (mkdirat (devfd, name, 0755) < 0)
    return cdb_fail (err, errno, "mounts: create %s", what);

  target = openat (devfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (target < 0)
    return cdb_fail (err, errno, "mounts: open %s", what);

  return mount_fs_at (target, fstype, flags, data, what, err);
}

static int
populate_dev (int devfd, struct cdb_error *err)
{
  size_t i;

  for (i = 0; dev_nodes[i] != NULL; i++)
    if (create_dev_node (devfd, dev_nodes[i], err) < 0)
      return -1;

  for (i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++)
    if (symlinkat (dev_links[i].target, devfd, dev_links[i].name) < 0)
      return cdb_fail (err, errno, "mounts: link /dev/%s", dev_links[i].name);

  /* A private devpts instance: the sandbox sees none of the host's
     terminals, and ptmx gives it new ones. */
  if (mount_dev_subdir (devfd, "pts", "devpts", MS_NOSUID | MS_NOEXEC,
                        "newinstance,ptmxmode=0666,mode=0620", err)
      < 0)
    return -1;

  return mount_dev_subdir (devfd, "shm", "tmpfs",
                           MS_NOSUID | MS_NODEV | MS_NOEXEC,
                           "size=64m,mode=1777", err);
}

/* /dev is a small tmpfs, read-only once populated: the service can write
   to the nodes and to /dev/shm, but cannot add or replace entries. */
static int
mount_dev (int rootfd, struct cdb_error *err)
{
  struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
  _cleanup_close_ int target = -1;
  _cleanup_close_ int devfd = -1;

  target = open_in_root (rootfd, "/dev", err);
  if (target < 0)
    return -1;

  if (mount_fs_at (target, "tmpfs", DEV_FLAGS | MS_NODEV, "size=64k,mode=0755",
                   "/dev", err)
      < 0)
    return -1;

  devfd = sys_openat2 (rootfd, "dev", O_DIRECTORY | O_RDONLY,
                       RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  if (devfd < 0)
    return cdb_fail (err, errno, "mounts: open /dev");

  if (populate_dev (devfd, err) < 0)
    return -1;

  if (mount_setattr (devfd, "", AT_EMPTY_PATH, &ro, sizeof ro) < 0)
    return cdb_fail (err, errno, "mounts: make /dev read-only");
  return 0;
}

/* A masked directory gets an empty read-only tmpfs, a masked file the
   host's /dev/null. A path the kernel does not have is nothing to hide. */
static int
mask_path (int rootfd, const char *path, struct cdb_error *err)
{
  _cleanup_close_ int target = -1;
  struct stat st;

  target = open_in_root (rootfd, path, err);
  if (target < 0)
    return err->errnum == ENOENT ? 0 : -1;

  if (fstat (target, &st) < 0)
    return cdb_fail (err, errno, "mounts: stat %s", path);

  if (S_ISDIR (st.st_mode))
    return mount_fs_at (target, "tmpfs", MS_RDONLY | PROC_FLAGS,
                        "size=4k,mode=0555", path, err);
  return bind_into (target, "/dev/null", false, MS_RDONLY | PROC_FLAGS, path,
                    err);
}

static int
make_path_readonly (int rootfd, const char *path, struct cdb_error *err)
{
  _cleanup_close_ int target = -1;
  _cleanup_close_ int tree = -1;

  target = open_in_root (rootfd, path, err);
  if (target < 0)
    return err->errnum == ENOENT ? 0 : -1;

  tree = clone_tree (target, "", true, MS_RDONLY | PROC_FLAGS, path, err);
  if (tree < 0)
    return -1;
  return attach_tree (tree, target, path, err);
}

static int
hide_paths (int rootfd, const struct cdb_plan *plan, struct cdb_error *err)
{
  char *const *p;

  for (p = plan->masked_paths; p && *p; p++)
    if (mask_path (rootfd, *p, err) < 0)
      return -1;

  for (p = plan->readonly_paths; p && *p; p++)
    if (make_path_readonly (rootfd, *p, err) < 0)
      return -1;
  return 0;
}

/* pivot_root(".", ".") stacks the old root on top of the new one at "/";
   detaching it leaves the new root alone, and no directory is needed in
   the read-only root for the old one. */
static int
enter_root (int rootfd, struct cdb_error *err)
{
  if (fchdir (rootfd) < 0)
    return cdb_fail (err, errno, "mounts: enter the new root");

  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return cdb_fail (err, errno, "mounts: pivot_root");

  if (umount2 (".", MNT_DETACH) < 0)
    return cdb_fail (err, errno, "mounts: detach the old root");

  if (chdir ("/") < 0)
    return cdb_fail (err, errno, "mounts: chdir /");
  return 0;
}

static int
mount_all (int rootfd, const struct cdb_plan *plan, int *trees,
           struct cdb_error *err)
{
  size_t i;

  for (i = 0; i < plan->n_mounts; i++)
    if (mount_one (rootfd, &plan->mounts[i], trees[i], err) < 0)
      return -1;
  return 0;
}

int
cdb_mounts_setup (const struct cdb_plan *plan, struct cdb_error *err)
{
  _cleanup_close_ int rootfd = -1;
  int *trees;
  int rc;

  if (make_private (err) < 0)
    return -1;

  trees = copy_bind_sources (plan, err);
  if (trees == NULL)
    return -1;

  rootfd = attach_root (plan->root_path, plan->hostname, err);
  rc = rootfd < 0 ? -1 : mount_hosts (rootfd, err);
  if (rc == 0)
    rc = mount_all (rootfd, plan, trees, err);
  close_trees (trees, plan->n_mounts);
  if (rc < 0)
    return -1;

  if (mount_proc (rootfd, err) < 0)
    return -1;

  if (mount_dev (rootfd, err) < 0)
    return -1;

  if (hide_paths (rootfd, plan, err) < 0)
    return -1;

  return enter_root (rootfd, err);
}

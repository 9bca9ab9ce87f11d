/* SPDX-License-Identifier: MIT */
/*
 * The integration tests' payload. It runs inside the sandbox as the service
 * and reports what holds there, one "key=value" line per fact, so that a
 * test asserts on what the kernel says rather than on what cdb-run meant
 * to do. It is linked statically and uses only the C library: a custom
 * root may hold nothing but this file.
 *
 *   probe                report everything (the default)
 *   probe exit N         exit with status N
 *   probe kill SIG       kill itself with signal number SIG
 *   probe sleep SECS     print "ready", then sleep; a forwarded signal
 *                        prints "signal=NAME" and exits 42
 *   probe orphan         leave a daemonised grandchild behind and exit
 *   probe reap           leave an orphan that exits; report whether PID 1
 *                        reaped it ("orphan_state=reaped") or not
 *   probe pid1           only what PID 1 looks like, read first thing
 *   probe touch PATH     create PATH; "touch=ok" or the errno name
 *   probe read PATH      print the first line of PATH as "read=..."
 *   probe readfd N       print the first line read from descriptor N as
 *                        "readfd=..."
 *   probe syscalls       try the calls the seccomp filter must refuse, and
 *                        a few it must allow: one "sys.NAME=RESULT" line
 *                        each, RESULT "ok" or the errno name
 *   probe tty            what the service's terminal allows: controlling
 *                        terminal, session, TIOCSTI on descriptor 0
 *
 * A failed reading is reported as the errno name (e.g. "EACCES") in place
 * of the value; the probe itself never decides what is right.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN 4096
#define EXIT_SIGNALLED 42

extern char **environ;

static const char *
errno_name (int errnum)
{
  static char unknown[32];
  const char *name = strerrorname_np (errnum);

  if (name != NULL)
    return name;
  snprintf (unknown, sizeof unknown, "E%d", errnum);
  return unknown;
}

/* Reads the first line of path into buf, without its newline. */
static int
read_line (const char *path, char *buf, size_t size)
{
  FILE *f = fopen (path, "re");

  if (f == NULL)
    return -1;
  if (fgets (buf, (int) size, f) == NULL)
    buf[0] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  fclose (f);
  return 0;
}

/* The value of a "Key:\tvalue" line of a /proc status file. */
static int
status_field (const char *path, const char *key, char *out, size_t size)
{
  char line[LINE_MAX_LEN];
  size_t keylen = strlen (key);
  FILE *f = fopen (path, "re");

  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    {
      const char *value = line + keylen + 1;

      if (strncmp (line, key, keylen) != 0 || line[keylen] != ':')
        continue;
      value += strspn (value, " \t");
      snprintf (out, size, "%s", value);
      out[strcspn (out, "\n")] = '\0';
      fclose (f);
      return 0;
    }
  fclose (f);
  errno = ENOENT;
  return -1;
}

/* Whether path can be opened and read: "ok" or the errno name. */
static const char *
try_read (const char *path)
{
  char c;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return errno_name (errno);
  if (read (fd, &c, 1) < 0)
    {
      int saved = errno;

      close (fd);
      return errno_name (saved);
    }
  close (fd);
  return "ok";
}

static void
report_status_field (const char *key)
{
  char value[LINE_MAX_LEN];

  if (status_field ("/proc/self/status", key, value, sizeof value) < 0)
    printf ("%s=%s\n", key, errno_name (errno));
  else
    printf ("%s=%s\n", key, value);
}

/* The first line of an id map, its fields separated by single spaces:
   "0 0 4294967295" outside any user namespace. */
static void
report_id_map (const char *key, const char *path)
{
  char line[LINE_MAX_LEN];
  unsigned long inside, outside, count;

  if (read_line (path, line, sizeof line) < 0)
    printf ("%s=%s\n", key, errno_name (errno));
  else if (sscanf (line, "%lu %lu %lu", &inside, &outside, &count) != 3)
    printf ("%s=%s\n", key, line);
  else
    printf ("%s=%lu %lu %lu\n", key, inside, outside, count);
}

static void
report_ids (void)
{
  gid_t groups[256];
  int n, i;

  printf ("uid=%u\neuid=%u\n", (unsigned) getuid (), (unsigned) geteuid ());
  printf ("gid=%u\negid=%u\n", (unsigned) getgid (), (unsigned) getegid ());

  n = getgroups (256, groups);
  printf ("groups=");
  if (n < 0)
    printf ("%s", errno_name (errno));
  for (i = 0; i < n; i++)
    printf ("%s%u", i ? "," : "", (unsigned) groups[i]);
  printf ("\n");

  report_id_map ("uid_map", "/proc/self/uid_map");
  report_id_map ("gid_map", "/proc/self/gid_map");
}

static void
report_status (void)
{
  static const char *const keys[] = {
    "CapInh", "CapPrm",     "CapEff",  "CapBnd",
    "CapAmb", "NoNewPrivs", "Seccomp", NULL,
  };
  char value[64];
  size_t i;

  for (i = 0; keys[i] != NULL; i++)
    report_status_field (keys[i]);

  if (status_field ("/proc/self/status", "Umask", value, sizeof value) < 0)
    printf ("umask=%s\n", errno_name (errno));
  else
    printf ("umask=%s\n", value);
}

static bool
is_number (const char *s)
{
  if (*s == '\0')
    return false;
  return strspn (s, "0123456789") == strlen (s);
}

static int
count_pids (void)
{
  DIR *d = opendir ("/proc");
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    if (is_number (e->d_name))
      n++;
  closedir (d);
  return n;
}

/* PID 1 as the service finds it. Read as early as possible by `probe
   pid1`: init must be ready (named, non-dumpable) before the service
   runs its first instruction. */
static void
report_pid1 (void)
{
  char value[LINE_MAX_LEN];

  if (read_line ("/proc/1/comm", value, sizeof value) < 0)
    printf ("pid1_comm=%s\n", errno_name (errno));
  else
    printf ("pid1_comm=%s\n", value);

  if (status_field ("/proc/1/status", "Uid", value, sizeof value) < 0)
    printf ("pid1_uid=%s\n", errno_name (errno));
  else
    printf ("pid1_uid=%.*s\n", (int) strcspn (value, " \t"), value);

  /* PID 1 runs as the same user as the service: only its being
     non-dumpable keeps its memory and environment out of reach. */
  printf ("pid1_environ=%s\n", try_read ("/proc/1/environ"));
}

static void
report_processes (void)
{
  int n;

  printf ("pid=%d\nppid=%d\n", (int) getpid (), (int) getppid ());
  printf ("sid=%d\npgid=%d\n", (int) getsid (0), (int) getpgid (0));
  report_pid1 ();

  n = count_pids ();
  if (n < 0)
    printf ("proc_pids=%s\n", errno_name (errno));
  else
    printf ("proc_pids=%d\n", n);
}

static void
report_host (void)
{
  char buf[LINE_MAX_LEN];

  if (gethostname (buf, sizeof buf) < 0)
    printf ("hostname=%s\n", errno_name (errno));
  else
    printf ("hostname=%s\n", buf);

  if (getcwd (buf, sizeof buf) == NULL)
    printf ("cwd=%s\n", errno_name (errno));
  else
    printf ("cwd=%s\n", buf);
}

/* Creates path and removes it again when asked; "ok" or the errno name. */
static const char *
try_create (const char *path, bool remove)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    return errno_name (errno);
  close (fd);
  if (remove && unlink (path) < 0)
    return errno_name (errno);
  return "ok";
}

/* mountinfo fields: id parent dev root mountpoint options [optional...]
   - fstype source super-options. The last line for a mount point is the
   topmost mount there. Mount points with escaped characters never match,
   which is fine for "/" and "/tmp". */
static void
report_mount (const char *name, const char *mountpoint)
{
  char line[LINE_MAX_LEN];
  char fstype[256] = "none";
  char options[2 * LINE_MAX_LEN] = "";
  FILE *f = fopen ("/proc/self/mountinfo", "re");

  if (f == NULL)
    {
      printf ("%s_fstype=%s\n", name, errno_name (errno));
      return;
    }
  while (fgets (line, sizeof line, f) != NULL)
    {
      char point[LINE_MAX_LEN], vfs[LINE_MAX_LEN];
      char type[256], super[LINE_MAX_LEN];
      const char *tail = strstr (line, " - ");

      if (tail == NULL
          || sscanf (line, "%*s %*s %*s %*s %4095s %4095s", point, vfs) != 2
          || strcmp (point, mountpoint) != 0
          || sscanf (tail, " - %255s %*s %4095s", type, super) != 2)
        continue;
      snprintf (fstype, sizeof fstype, "%s", type);
      snprintf (options, sizeof options, "%s,%s", vfs, super);
    }
  fclose (f);
  printf ("%s_fstype=%s\n%s_options=%s\n", name, fstype, name, options);
}

static void
report_filesystems (void)
{
  struct statvfs st;

  printf ("root_write=%s\n", try_create ("/probe-test-file", true));
  if (statvfs ("/", &st) < 0)
    printf ("root_ro=%s\n", errno_name (errno));
  else
    printf ("root_ro=%d\n", (st.f_flag & ST_RDONLY) ? 1 : 0);
  report_mount ("root", "/");

  report_mount ("tmp", "/tmp");
  printf ("tmp_write=%s\n", try_create ("/tmp/probe-test-file", true));
}

/* Prints the names of a directory, sorted, comma separated. */
static void
report_dir (const char *key, const char *path)
{
  struct dirent **names;
  int n, i;
  bool first = true;

  n = scandir (path, &names, NULL, alphasort);
  if (n < 0)
    {
      printf ("%s=%s\n", key, errno_name (errno));
      return;
    }
  printf ("%s=", key);
  for (i = 0; i < n; i++)
    {
      const char *name = names[i]->d_name;

      if (strcmp (name, ".") != 0 && strcmp (name, "..") != 0)
        {
          printf ("%s%s", first ? "" : ",", name);
          first = false;
        }
      free (names[i]);
    }
  free (names);
  printf ("\n");
}

static int
compare_ints (const void *a, const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return (x > y) - (x < y);
}

/* What a descriptor is, from its file type: "fifo" for a pipe. */
static const char *
fd_type (int fd)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return errno_name (errno);
  switch (st.st_mode & S_IFMT)
    {
    case S_IFREG:
      return "reg";
    case S_IFDIR:
      return "dir";
    case S_IFCHR:
      return "chr";
    case S_IFBLK:
      return "blk";
    case S_IFIFO:
      return "fifo";
    case S_IFSOCK:
      return "sock";
    default:
      return "other";
    }
}

/* Open descriptors in numeric order, without the one that lists them,
   and their types in the same order. */
static void
report_fds (void)
{
  int fds[256];
  size_t n = 0, i;
  struct dirent *e;
  DIR *d = opendir ("/proc/self/fd");

  if (d == NULL)
    {
      printf ("fds=%s\n", errno_name (errno));
      return;
    }
  while ((e = readdir (d)) != NULL && n < sizeof fds / sizeof fds[0])
    if (is_number (e->d_name) && atoi (e->d_name) != dirfd (d))
      fds[n++] = atoi (e->d_name);
  closedir (d);

  qsort (fds, n, sizeof fds[0], compare_ints);
  printf ("fds=");
  for (i = 0; i < n; i++)
    printf ("%s%d", i ? "," : "", fds[i]);
  printf ("\nfd_types=");
  for (i = 0; i < n; i++)
    printf ("%s%s", i ? "," : "", fd_type (fds[i]));
  printf ("\n");
}

static void
print_limit (rlim_t value)
{
  if (value == RLIM_INFINITY)
    printf ("unlimited");
  else
    printf ("%llu", (unsigned long long) value);
}

static void
report_rlimit (const char *key, int resource)
{
  struct rlimit lim;

  if (getrlimit (resource, &lim) < 0)
    {
      printf ("%s=%s\n", key, errno_name (errno));
      return;
    }
  printf ("%s=", key);
  print_limit (lim.rlim_cur);
  printf ("/");
  print_limit (lim.rlim_max);
  printf ("\n");
}

/* Interfaces named in /proc/net/dev, and those of them that are up. */
static void
report_network (void)
{
  char line[LINE_MAX_LEN];
  char all[LINE_MAX_LEN] = "", up[LINE_MAX_LEN] = "";
  int sock = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  FILE *f = fopen ("/proc/net/dev", "re");

  if (f == NULL)
    {
      printf ("net_ifaces=%s\n", errno_name (errno));
      if (sock >= 0)
        close (sock);
      return;
    }
  while (fgets (line, sizeof line, f) != NULL)
    {
      struct ifreq ifr = { 0 };
      char *colon = strchr (line, ':');
      char *name = line + strspn (line, " ");

      if (colon == NULL)
        continue; /* the two header lines */
      *colon = '\0';
      snprintf (all + strlen (all), sizeof all - strlen (all), "%s%s",
                all[0] ? "," : "", name);

      snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
      if (sock >= 0 && ioctl (sock, SIOCGIFFLAGS, &ifr) == 0
          && (ifr.ifr_flags & IFF_UP))
        snprintf (up + strlen (up), sizeof up - strlen (up), "%s%s",
                  up[0] ? "," : "", name);
    }
  fclose (f);
  if (sock >= 0)
    close (sock);
  printf ("net_ifaces=%s\nnet_up=%s\n", all, up);
}

static void
report_env (void)
{
  char **e;

  for (e = environ; *e != NULL; e++)
    printf ("env.%s\n", *e);
}

static int
report_all (void)
{
  report_ids ();
  report_status ();
  report_processes ();
  report_host ();
  report_filesystems ();
  report_fds ();
  report_rlimit ("rlimit_nofile", RLIMIT_NOFILE);
  report_rlimit ("rlimit_core", RLIMIT_CORE);
  report_dir ("dev", "/dev");
  report_network ();
  report_env ();
  return fflush (stdout) == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* Modes for scenario tests                                            */
/* ------------------------------------------------------------------ */

static void
say (const char *text)
{
  ssize_t ignored = write (STDOUT_FILENO, text, strlen (text));
  (void) ignored;
}

static const struct
{
  int sig;
  const char *line;
} caught[] = {
  { SIGTERM, "signal=TERM\n" }, { SIGINT, "signal=INT\n" },
  { SIGHUP, "signal=HUP\n" },   { SIGQUIT, "signal=QUIT\n" },
  { SIGUSR1, "signal=USR1\n" }, { SIGUSR2, "signal=USR2\n" },
};

/* Says which signal came, with write(2) only, and exits. */
static void
on_signal (int sig)
{
  size_t i;

  for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
    if (caught[i].sig == sig)
      say (caught[i].line);
  _exit (EXIT_SIGNALLED);
}

static int
mode_sleep (const char *seconds)
{
  struct sigaction sa = { .sa_handler = on_signal };
  unsigned int left = (unsigned int) atoi (seconds);
  size_t i;

  for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
    sigaction (caught[i].sig, &sa, NULL);

  say ("ready\n");
  while (left > 0)
    left = sleep (left);
  say ("slept\n");
  return 0;
}

static void
pause_ms (long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  nanosleep (&ts, NULL);
}

/* Forks a child that forks the orphan and exits at once, so the orphan is
   reparented to PID 1. The orphan writes its pid on the pipe, then either
   lingers (cdb-run must kill it) or exits (PID 1 must reap it). */
static pid_t
make_orphan (bool linger)
{
  int fds[2];
  pid_t child, orphan = -1;

  if (pipe (fds) < 0)
    return -1;
  child = fork ();
  if (child == 0)
    {
      if (fork () == 0)
        {
          pid_t self = getpid ();
          int null = open ("/dev/null", O_RDWR);

          setsid ();
          /* Detached like a daemon: the caller's pipes do not stay open
             because of it. */
          if (null >= 0)
            {
              dup2 (null, 0);
              dup2 (null, 1);
              dup2 (null, 2);
            }
          if (write (fds[1], &self, sizeof self) != sizeof self)
            _exit (1);
          if (linger)
            pause_ms (60 * 1000);
          else
            pause_ms (100);
          _exit (0);
        }
      _exit (0);
    }
  close (fds[1]);
  if (child > 0)
    waitpid (child, NULL, 0);
  if (read (fds[0], &orphan, sizeof orphan) != sizeof orphan)
    orphan = -1;
  close (fds[0]);
  return orphan;
}

static int
mode_orphan (void)
{
  pid_t orphan = make_orphan (true);

  printf ("orphan_pid=%d\n", (int) orphan);
  printf ("orphan_alive=%d\n", orphan > 0 && kill (orphan, 0) == 0);
  return orphan > 0 ? 0 : 1;
}

/* 'Z' in the third field of /proc/PID/stat; false if pid is gone. */
static bool
is_zombie (pid_t pid)
{
  char path[64], line[LINE_MAX_LEN];
  const char *paren;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (read_line (path, line, sizeof line) < 0)
    return false;
  paren = strrchr (line, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/* The orphan exits after 100 ms; PID 1 must reap it. Waits up to 5 s. */
static int
mode_reap (void)
{
  pid_t orphan = make_orphan (false);
  int waited;
  char path[64];

  printf ("orphan_pid=%d\n", (int) orphan);
  if (orphan <= 0)
    return 1;
  snprintf (path, sizeof path, "/proc/%d", (int) orphan);
  for (waited = 0; waited < 5000; waited += 20)
    {
      if (access (path, F_OK) < 0)
        break;
      pause_ms (20);
    }
  printf ("orphan_state=%s\n", access (path, F_OK) < 0 ? "reaped"
                               : is_zombie (orphan)    ? "zombie"
                                                       : "running");
  return 0;
}

static int
mode_touch (const char *path)
{
  const char *result = try_create (path, false);

  printf ("touch=%s\n", result);
  return strcmp (result, "ok") == 0 ? 0 : 1;
}

static int
mode_read (const char *path)
{
  char line[LINE_MAX_LEN];

  if (read_line (path, line, sizeof line) < 0)
    {
      printf ("read=%s\n", errno_name (errno));
      return 1;
    }
  printf ("read=%s\n", line);
  return 0;
}

static int
mode_readfd (int fd)
{
  char line[LINE_MAX_LEN];
  size_t n = 0;

  while (n < sizeof line - 1 && read (fd, line + n, 1) == 1 && line[n] != '\n')
    n++;
  line[n] = '\0';
  if (n == 0 && fcntl (fd, F_GETFD) < 0)
    {
      printf ("readfd=%s\n", errno_name (errno));
      return 1;
    }
  printf ("readfd=%s\n", line);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Mode syscalls: what the seccomp filter answers                      */
/* ------------------------------------------------------------------ */

/*
 * Each check makes one system call with arguments chosen so that it can
 * do no harm even where no filter stops it, even as root on the host:
 * paths that do not exist, flags no kernel accepts, an address no process
 * can map, the probe's own process, a child that exits at once. Where the
 * kernel itself would answer something else than EPERM (EFAULT, EINVAL,
 * EBADF, "ok"), the result tells the filter's answer from the kernel's;
 * each comment gives the kernel's answer to an unprivileged caller.
 * Calls that change the caller (unshare, personality, ptrace) or may kill
 * it (other ABIs) run in a child.
 */

#define NO_SUCH_PATH "/nonexistent-cdb-probe"

/* An address below mmap_min_addr: never mapped, so copying from it fails
   with EFAULT before any check of privileges. */
#define BAD_ADDRESS 1L

/* A call this architecture does not have; reported as "skipped". */
#define NOT_HERE LONG_MIN

struct check
{
  const char *key;
  long (*call) (void);
  bool in_child;
};

static const char *
outcome (long rc)
{
  if (rc == NOT_HERE)
    return "skipped";
  return rc < 0 ? errno_name (errno) : "ok";
}

/* A raw clone(2) with flags; a child, if one is made, exits at once. */
static long
clone_with (unsigned long flags)
{
  long pid = syscall (SYS_clone, flags | SIGCHLD, 0L, 0L, 0L, 0L);

  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid ((pid_t) pid, NULL, 0);
  return pid < 0 ? -1 : 0;
}

/* --- mounts: the unprivileged kernel answers EPERM to most anyway --- */

static long
try_mount (void) /* EFAULT: the type is copied first */
{
  return syscall (SYS_mount, "none", NO_SUCH_PATH, BAD_ADDRESS, 0L, 0L);
}

static long
try_umount2 (void) /* EINVAL: UMOUNT_UNUSED, a flag never valid */
{
  return syscall (SYS_umount2, NO_SUCH_PATH, 0x80000000L);
}

static long
try_pivot_root (void) /* EPERM; ENOENT as root */
{
  return syscall (SYS_pivot_root, NO_SUCH_PATH, NO_SUCH_PATH);
}

static long
try_chroot (void) /* ENOENT: the path is looked up first */
{
  return syscall (SYS_chroot, NO_SUCH_PATH);
}

static long
try_fsopen (void) /* EPERM; ENODEV as root */
{
  return syscall (SYS_fsopen, "cdb-no-such-fs", 0L);
}

static long
try_fsconfig (void) /* EINVAL: a negative descriptor */
{
  return syscall (SYS_fsconfig, -1L, 6L, 0L, 0L, 0L);
}

static long
try_fsmount (void) /* EPERM; EBADF as root */
{
  return syscall (SYS_fsmount, -1L, 0L, 0L);
}

static long
try_fspick (void) /* EPERM; ENOENT as root */
{
  return syscall (SYS_fspick, (long) AT_FDCWD, NO_SUCH_PATH, 0L);
}

static long
try_move_mount (void) /* EPERM; EINVAL (unknown flag) as root */
{
  return syscall (SYS_move_mount, -1L, NO_SUCH_PATH, -1L, NO_SUCH_PATH,
                  0x80000000L);
}

static long
try_open_tree (void) /* ENOENT: without OPEN_TREE_CLONE it needs nothing */
{
  return syscall (SYS_open_tree, (long) AT_FDCWD, NO_SUCH_PATH, 0L);
}

static long
try_mount_setattr (void) /* EINVAL: an unknown flag */
{
  return syscall (SYS_mount_setattr, (long) AT_FDCWD, NO_SUCH_PATH, 0x80000000L,
                  0L, 0L);
}

/* --- namespaces --- */

static long
try_unshare (void) /* ok: unprivileged user namespaces; run in a child */
{
  return syscall (SYS_unshare, (long) CLONE_NEWUSER);
}

static long
try_setns (void) /* EBADF */
{
  return syscall (SYS_setns, -1L, 0L);
}

static long
try_clone_newuser (void) /* ok: the child exits at once */
{
  return clone_with (CLONE_NEWUSER);
}

/* The other flags come with a companion that makes the kernel refuse the
   call with EINVAL before it creates anything: CLONE_FS with CLONE_NEWNS,
   CLONE_THREAD without CLONE_SIGHAND with the rest. */
static long
try_clone_newns (void)
{
  return clone_with (CLONE_NEWNS | CLONE_FS);
}

static long
try_clone_newnet (void)
{
  return clone_with (CLONE_NEWNET | CLONE_THREAD);
}

static long
try_clone_newpid (void)
{
  return clone_with (CLONE_NEWPID | CLONE_THREAD);
}

static long
try_clone_newipc (void)
{
  return clone_with (CLONE_NEWIPC | CLONE_THREAD);
}

static long
try_clone_newuts (void)
{
  return clone_with (CLONE_NEWUTS | CLONE_THREAD);
}

static long
try_clone_newcgroup (void)
{
  return clone_with (CLONE_NEWCGROUP | CLONE_THREAD);
}

/* clone3 with no flags at all: ok without the filter, whose answer is
   ENOSYS so that the C library falls back to clone. */
static long
try_clone3 (void)
{
  struct
  {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
        stack_size, tls;
  } args = { .exit_signal = SIGCHLD };
  long pid = syscall (SYS_clone3, &args, sizeof args);

  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid ((pid_t) pid, NULL, 0);
  return pid < 0 ? -1 : 0;
}

/* The C library's fork, which the filter must allow. */
static long
try_fork (void)
{
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (0);
  if (pid < 0 || waitpid (pid, &status, 0) < 0)
    return -1;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : -1;
}

/* --- the kernel keyring --- */

static long
try_keyctl (void) /* EOPNOTSUPP: no such operation */
{
  return syscall (SYS_keyctl, 0x7fffffffL, 0L, 0L, 0L, 0L);
}

static long
try_add_key (void) /* EFAULT: the type is copied first */
{
  return syscall (SYS_add_key, BAD_ADDRESS, "cdb", NULL, 0L, 0L);
}

static long
try_request_key (void) /* EFAULT */
{
  return syscall (SYS_request_key, BAD_ADDRESS, "cdb", NULL, 0L);
}

/* --- other processes --- */

static long
try_ptrace (void) /* ok: TRACEME, in a child */
{
  return syscall (SYS_ptrace, (long) PTRACE_TRACEME, 0L, 0L, 0L);
}

/* ok: attaching to a child of one's own, which is then killed. */
static long
try_ptrace_attach (void)
{
  pid_t child = fork ();
  long rc;
  int saved;

  if (child == 0)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      for (;;)
        pause ();
    }
  if (child < 0)
    return -1;
  rc = syscall (SYS_ptrace, (long) PTRACE_ATTACH, (long) child, 0L, 0L);
  saved = errno;
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  errno = saved;
  return rc;
}

/* ok: the probe's own memory, copied within itself. */
static long
try_process_vm (long nr)
{
  char from[8] = "probe", to[8];
  struct iovec local = { to, sizeof to }, remote = { from, sizeof from };

  return syscall (nr, (long) getpid (), &local, 1L, &remote, 1L, 0L);
}

static long
try_process_vm_readv (void)
{
  return try_process_vm (SYS_process_vm_readv);
}

static long
try_process_vm_writev (void)
{
  return try_process_vm (SYS_process_vm_writev);
}

static long
try_kcmp (void) /* ok: the probe compared with itself (KCMP_VM) */
{
  return syscall (SYS_kcmp, (long) getpid (), (long) getpid (), 1L, 0L, 0L);
}

static long
try_pidfd_getfd (void) /* EBADF */
{
  return syscall (SYS_pidfd_getfd, -1L, 0L, 0L);
}

/* --- kernel attack surface --- */

static long
try_bpf (void) /* E2BIG: an attribute larger than a page */
{
  static char attr[8192];

  return syscall (SYS_bpf, 0L, attr, (long) sizeof attr);
}

static long
try_perf_event_open (void) /* EINVAL: unknown flags, checked first */
{
  static char attr[256];

  return syscall (SYS_perf_event_open, attr, 0L, -1L, -1L, -1L);
}

/* ok: UFFD_USER_MODE_ONLY needs no privilege; the descriptor is closed. */
static long
try_userfaultfd (void)
{
  long fd = syscall (SYS_userfaultfd, (long) (1 | O_CLOEXEC));

  if (fd >= 0)
    close ((int) fd);
  return fd;
}

static long
try_io_uring_setup (void) /* EINVAL: zero entries */
{
  static char params[256];

  return syscall (SYS_io_uring_setup, 0L, params);
}

static long
try_io_uring_enter (void) /* EBADF */
{
  return syscall (SYS_io_uring_enter, -1L, 0L, 0L, 0L, 0L, 0L);
}

static long
try_io_uring_register (void) /* EBADF or EINVAL */
{
  return syscall (SYS_io_uring_register, -1L, 0L, 0L, 0L);
}

static long
try_lookup_dcookie (void) /* ENOSYS since Linux 6.8 */
{
#ifdef SYS_lookup_dcookie
  return syscall (SYS_lookup_dcookie, 0L, 0L, 0L);
#else
  return NOT_HERE;
#endif
}

/* --- the kernel, its modules, its log and its machine --- */

static long
try_kexec_load (void) /* EPERM; EINVAL as root (flags, segments) */
{
  return syscall (SYS_kexec_load, 0L, 0xffffL, 0L, 0x80L);
}

static long
try_kexec_file_load (void) /* EPERM; EINVAL as root (flags) */
{
#ifdef SYS_kexec_file_load
  return syscall (SYS_kexec_file_load, -1L, -1L, 0L, 0L, 0x80000000L);
#else
  return NOT_HERE;
#endif
}

static long
try_init_module (void) /* EPERM; ENOEXEC as root (empty image) */
{
  return syscall (SYS_init_module, 0L, 0L, "");
}

static long
try_finit_module (void) /* EPERM; EBADF as root */
{
  return syscall (SYS_finit_module, -1L, "", 0L);
}

static long
try_delete_module (void) /* EPERM; ENOENT as root */
{
  return syscall (SYS_delete_module, "cdb_no_such_module", (long) O_NONBLOCK);
}

/* EPERM; as root EINVAL, for the magic numbers are wrong. */
static long
try_reboot (void)
{
  return syscall (SYS_reboot, 0L, 0L, 0L, 0L);
}

static long
try_swapon (void) /* EINVAL: an unknown flag, checked first */
{
  return syscall (SYS_swapon, NO_SUCH_PATH, 0x80000000L);
}

static long
try_swapoff (void) /* EPERM; ENOENT as root */
{
  return syscall (SYS_swapoff, NO_SUCH_PATH);
}

static long
try_syslog (void) /* SYSLOG_ACTION_SIZE_BUFFER: ok unless dmesg_restrict */
{
  return syscall (SYS_syslog, 10L, 0L, 0L);
}

static long
try_acct (void) /* EPERM; ENOENT as root */
{
  return syscall (SYS_acct, NO_SUCH_PATH "/acct");
}

static long
try_iopl (void) /* EINVAL: level 4 does not exist */
{
#ifdef SYS_iopl
  return syscall (SYS_iopl, 4L);
#else
  return NOT_HERE;
#endif
}

static long
try_ioperm (void) /* EINVAL: an empty range */
{
#ifdef SYS_ioperm
  return syscall (SYS_ioperm, 0L, 0L, 1L);
#else
  return NOT_HERE;
#endif
}

static long
try_uselib (void) /* ENOSYS (CONFIG_USELIB off) or ENOENT */
{
#ifdef SYS_uselib
  return syscall (SYS_uselib, NO_SUCH_PATH);
#else
  return NOT_HERE;
#endif
}

/* EPERM; as root ok, and harmless: the child has no controlling
   terminal to hang up once it has its own session. */
static long
try_vhangup (void)
{
  setsid ();
  return syscall (SYS_vhangup);
}

static long
try_nfsservctl (void) /* ENOSYS: gone since Linux 3.1 */
{
#ifdef SYS_nfsservctl
  return syscall (SYS_nfsservctl, 0L, 0L, 0L);
#else
  return NOT_HERE;
#endif
}

static long
try_quotactl (void) /* ENODEV: Q_GETINFO on no device */
{
  return syscall (SYS_quotactl, (long) QCMD (Q_GETINFO, USRQUOTA), 0L, 0L, 0L);
}

static long
try_quotactl_fd (void) /* EBADF */
{
#ifdef SYS_quotactl_fd
  return syscall (SYS_quotactl_fd, -1L, (long) QCMD (Q_GETINFO, USRQUOTA), 0L,
                  0L);
#else
  return NOT_HERE;
#endif
}

/* --- files by handle --- */

static long
try_open_by_handle_at (void) /* EBADF (Linux 6.10 and later), or EPERM */
{
  return syscall (SYS_open_by_handle_at, -1L, 0L, 0L);
}

static long
try_name_to_handle_at (void) /* EOVERFLOW: a handle of zero bytes */
{
  struct file_handle handle = { .handle_bytes = 0 };
  int mount_id;

  return syscall (SYS_name_to_handle_at, (long) AT_FDCWD, "/", &handle,
                  &mount_id, 0L);
}

/* --- the clock --- */

static long
try_settimeofday (void) /* EINVAL: 2 s of microseconds, checked first */
{
  struct timeval tv = { 0, 2000000 };

  return syscall (SYS_settimeofday, &tv, 0L);
}

static long
try_clock_settime (void) /* EINVAL: no clock 100 */
{
  struct timespec ts = { 0, 0 };

  return syscall (SYS_clock_settime, 100L, &ts);
}

/* ok: modes 0 only reads the clock's state, which anyone may. */
static long
try_adjtimex (void)
{
  struct timex tx = { .modes = 0 };

  return syscall (SYS_adjtimex, &tx);
}

static long
try_clock_adjtime (void) /* ok: a read, as above */
{
  struct timex tx = { .modes = 0 };

  return syscall (SYS_clock_adjtime, (long) CLOCK_REALTIME, &tx);
}

/* --- personality, in a child: ok without the filter --- */

static long
try_personality_linux32 (void)
{
  return syscall (SYS_personality, 0x0008L); /* PER_LINUX32 */
}

static long
try_personality_no_aslr (void)
{
  return syscall (SYS_personality, 0x0040000L); /* ADDR_NO_RANDOMIZE */
}

/* The kernel reads an unsigned int: the high bits hide nothing. */
static long
try_personality_high (void)
{
  return syscall (SYS_personality, 0x100000008L);
}

static long
try_personality_query (void) /* allowed */
{
  return syscall (SYS_personality, 0xffffffffL);
}

static long
try_personality_linux (void) /* allowed: PER_LINUX, the default */
{
  return syscall (SYS_personality, 0L);
}

/* --- terminal ioctls on descriptor 0; ENOTTY when it is no terminal ---
   A null argument: even if the call got through, nothing is pushed. */

static long
try_tiocsti (void)
{
  return syscall (SYS_ioctl, 0L, (long) TIOCSTI, 0L);
}

static long
try_tiocsti_high (void)
{
  return syscall (SYS_ioctl, 0L, 0x100000000L | TIOCSTI, 0L);
}

static long
try_tioclinux (void)
{
  return syscall (SYS_ioctl, 0L, (long) TIOCLINUX, 0L);
}

static long
try_tioclinux_high (void)
{
  return syscall (SYS_ioctl, 0L, 0x100000000L | TIOCLINUX, 0L);
}

static long
try_tcgets (void) /* allowed: ENOTTY on a file, ok on a terminal */
{
  char termios[128]; /* larger than the kernel's struct termios */

  return syscall (SYS_ioctl, 0L, (long) TCGETS, termios);
}

/* --- other ABIs and unknown numbers --- */

#if defined(__x86_64__)
/* A system call through the i386 entry, int 0x80, from this 64-bit
   process. Where the kernel lacks IA32 emulation the instruction faults:
   that is why these run in a child. */
static long
int80 (long nr, long a, long b, long c)
{
  long ret;

  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "a"(nr), "b"(a), "c"(b), "d"(c)
                   : "memory", "r8", "r9", "r10", "r11");
  ret = (int) ret;
  if (ret < 0 && ret > -4096)
    {
      errno = (int) -ret;
      return -1;
    }
  return ret;
}
#endif

static long
try_i386_getpid (void) /* ok without the filter */
{
#if defined(__x86_64__)
  return int80 (20, 0, 0, 0);
#else
  return NOT_HERE;
#endif
}

static long
try_i386_mount (void) /* EFAULT without the filter: no target */
{
#if defined(__x86_64__)
  return int80 (21, 0, 0, 0);
#else
  return NOT_HERE;
#endif
}

static long
try_x32_getpid (void) /* ENOSYS without x32 support, else ok */
{
#if defined(__x86_64__)
  return syscall (0x40000000L | 39);
#else
  return NOT_HERE;
#endif
}

static long
try_nr_500 (void)
{
  return syscall (500L);
}

static long
try_nr_1000 (void)
{
  return syscall (1000L);
}

static long
try_getpid (void)
{
  return syscall (SYS_getpid);
}

static const struct check checks[] = {
  { "mount", try_mount, false },
  { "umount2", try_umount2, false },
  { "pivot_root", try_pivot_root, false },
  { "chroot", try_chroot, false },
  { "fsopen", try_fsopen, false },
  { "fsconfig", try_fsconfig, false },
  { "fsmount", try_fsmount, false },
  { "fspick", try_fspick, false },
  { "move_mount", try_move_mount, false },
  { "open_tree", try_open_tree, false },
  { "mount_setattr", try_mount_setattr, false },
  { "unshare", try_unshare, true },
  { "setns", try_setns, false },
  { "clone_newuser", try_clone_newuser, false },
  { "clone_newns", try_clone_newns, false },
  { "clone_newnet", try_clone_newnet, false },
  { "clone_newpid", try_clone_newpid, false },
  { "clone_newipc", try_clone_newipc, false },
  { "clone_newuts", try_clone_newuts, false },
  { "clone_newcgroup", try_clone_newcgroup, false },
  { "clone3", try_clone3, false },
  { "fork", try_fork, false },
  { "keyctl", try_keyctl, false },
  { "add_key", try_add_key, false },
  { "request_key", try_request_key, false },
  { "ptrace", try_ptrace, true },
  { "ptrace_attach", try_ptrace_attach, false },
  { "process_vm_readv", try_process_vm_readv, false },
  { "process_vm_writev", try_process_vm_writev, false },
  { "kcmp", try_kcmp, false },
  { "pidfd_getfd", try_pidfd_getfd, false },
  { "bpf", try_bpf, false },
  { "perf_event_open", try_perf_event_open, false },
  { "userfaultfd", try_userfaultfd, false },
  { "io_uring_setup", try_io_uring_setup, false },
  { "io_uring_enter", try_io_uring_enter, false },
  { "io_uring_register", try_io_uring_register, false },
  { "lookup_dcookie", try_lookup_dcookie, false },
  { "kexec_load", try_kexec_load, false },
  { "kexec_file_load", try_kexec_file_load, false },
  { "init_module", try_init_module, false },
  { "finit_module", try_finit_module, false },
  { "delete_module", try_delete_module, false },
  { "reboot", try_reboot, false },
  { "swapon", try_swapon, false },
  { "swapoff", try_swapoff, false },
  { "syslog", try_syslog, false },
  { "acct", try_acct, false },
  { "iopl", try_iopl, false },
  { "ioperm", try_ioperm, false },
  { "uselib", try_uselib, false },
  { "vhangup", try_vhangup, true },
  { "nfsservctl", try_nfsservctl, false },
  { "quotactl", try_quotactl, false },
  { "quotactl_fd", try_quotactl_fd, false },
  { "open_by_handle_at", try_open_by_handle_at, false },
  { "name_to_handle_at", try_name_to_handle_at, false },
  { "settimeofday", try_settimeofday, false },
  { "clock_settime", try_clock_settime, false },
  { "adjtimex", try_adjtimex, false },
  { "clock_adjtime", try_clock_adjtime, false },
  { "personality_linux32", try_personality_linux32, true },
  { "personality_no_aslr", try_personality_no_aslr, true },
  { "personality_high", try_personality_high, true },
  { "personality_query", try_personality_query, true },
  { "personality_linux", try_personality_linux, true },
  { "ioctl_tiocsti", try_tiocsti, false },
  { "ioctl_tiocsti_high", try_tiocsti_high, false },
  { "ioctl_tioclinux", try_tioclinux, false },
  { "ioctl_tioclinux_high", try_tioclinux_high, false },
  { "ioctl_tcgets", try_tcgets, false },
  { "i386_getpid", try_i386_getpid, true },
  { "i386_mount", try_i386_mount, true },
  { "x32_getpid", try_x32_getpid, true },
  { "nr_500", try_nr_500, false },
  { "nr_1000", try_nr_1000, false },
  { "getpid", try_getpid, false },
};

/* Runs call in a child and returns its outcome, or "SIGNAME" when the
   child was killed (an instruction the kernel does not take). */
static const char *
outcome_in_child (long (*call) (void))
{
  static char result[64];
  int fds[2], status;
  ssize_t n;
  pid_t pid;

  if (pipe (fds) < 0)
    return errno_name (errno);
  pid = fork ();
  if (pid == 0)
    {
      const char *text = outcome (call ());

      n = write (fds[1], text, strlen (text));
      _exit (n < 0);
    }
  close (fds[1]);
  n = pid < 0 ? -1 : read (fds[0], result, sizeof result - 1);
  result[n > 0 ? n : 0] = '\0';
  close (fds[0]);
  if (pid < 0 || waitpid (pid, &status, 0) < 0)
    return errno_name (errno);
  if (WIFSIGNALED (status))
    snprintf (result, sizeof result, "SIG%s", sigabbrev_np (WTERMSIG (status)));
  return result[0] ? result : "no-answer";
}

static int
mode_syscalls (void)
{
  size_t i;

  report_status_field ("Seccomp");
  report_status_field ("Seccomp_filters");
  for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
    {
      const struct check *c = &checks[i];

      fflush (stdout);
      if (c->in_child)
        printf ("sys.%s=%s\n", c->key, outcome_in_child (c->call));
      else
        {
          long rc = c->call ();

          printf ("sys.%s=%s\n", c->key, outcome (rc));
        }
    }
  return fflush (stdout) == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* Mode tty: the service and the terminal it was started from          */
/* ------------------------------------------------------------------ */

/* The controlling terminal's device number, field 7 of /proc/self/stat:
   0 when there is none. */
static void
report_ctty (void)
{
  char line[LINE_MAX_LEN];
  const char *paren;
  int tty_nr;

  if (read_line ("/proc/self/stat", line, sizeof line) < 0)
    {
      printf ("tty_nr=%s\n", errno_name (errno));
      return;
    }
  paren = strrchr (line, ')');
  if (paren == NULL || sscanf (paren + 1, " %*c %*d %*d %*d %d", &tty_nr) != 1)
    printf ("tty_nr=unreadable\n");
  else
    printf ("tty_nr=%d\n", tty_nr);
}

/* What descriptor 1 is when cdb-run runs on a terminal: a pipe, which
   the service can only write to. */
static void
report_stdout_terminal (void)
{
  char termios[128];
  char c;

  printf ("isatty1=%d\n", isatty (1));
  printf ("read1=%s\n", read (1, &c, 0) < 0 ? errno_name (errno) : "ok");
  printf ("sys.ioctl_tiocsti_fd1=%s\n",
          outcome (syscall (SYS_ioctl, 1L, (long) TIOCSTI, 0L)));
  printf ("sys.ioctl_tcgets_fd1=%s\n",
          outcome (syscall (SYS_ioctl, 1L, (long) TCGETS, termios)));
}

static int
mode_tty (void)
{
  int fd;

  printf ("isatty0=%d\n", isatty (0));
  report_ctty ();

  /* /dev/tty is the controlling terminal: ENXIO when there is none. */
  fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  printf ("dev_tty=%s\n", fd < 0 ? errno_name (errno) : "ok");
  if (fd >= 0)
    close (fd);

  /* In a pid namespace, 0 when the session leader is outside it. */
  printf ("sid=%d\npid=%d\n", (int) getsid (0), (int) getpid ());
  printf ("sys.ioctl_tiocsti=%s\n", outcome (try_tiocsti ()));
  printf ("sys.ioctl_tiocsti_high=%s\n", outcome (try_tiocsti_high ()));
  printf ("sys.ioctl_tcgets=%s\n", outcome (try_tcgets ()));
  report_stdout_terminal ();
  return fflush (stdout) == 0 ? 0 : 1;
}

static int
usage (void)
{
  fputs ("usage: probe [exit N | kill SIG | sleep SECS | orphan | reap | "
         "pid1 | touch PATH | read PATH | readfd N | syscalls | tty]\n",
         stderr);
  return 2;
}

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "report";
  const char *arg = argc > 2 ? argv[2] : NULL;

  if (strcmp (mode, "report") == 0)
    return report_all ();
  if (strcmp (mode, "orphan") == 0)
    return mode_orphan ();
  if (strcmp (mode, "reap") == 0)
    return mode_reap ();
  if (strcmp (mode, "pid1") == 0)
    {
      report_pid1 ();
      return 0;
    }
  if (strcmp (mode, "syscalls") == 0)
    return mode_syscalls ();
  if (strcmp (mode, "tty") == 0)
    return mode_tty ();
  if (arg == NULL)
    return usage ();
  if (strcmp (mode, "exit") == 0)
    return atoi (arg);
  if (strcmp (mode, "kill") == 0)
    {
      kill (getpid (), atoi (arg));
      pause_ms (5000);
      return 1;
    }
  if (strcmp (mode, "sleep") == 0)
    return mode_sleep (arg);
  if (strcmp (mode, "touch") == 0)
    return mode_touch (arg);
  if (strcmp (mode, "read") == 0)
    return mode_read (arg);
  if (strcmp (mode, "readfd") == 0)
    return mode_readfd (atoi (arg));
  return usage ();
}

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
 *
 * A failed reading is reported as the errno name (e.g. "EACCES") in place
 * of the value; the probe itself never decides what is right.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

/* Open descriptors in numeric order, without the one that lists them. */
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
usage (void)
{
  fputs ("usage: probe [exit N | kill SIG | sleep SECS | orphan | reap | "
         "pid1 | touch PATH | read PATH]\n",
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
  return usage ();
}

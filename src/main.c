/* SPDX-License-Identifier: MIT */
/*
 * cdb-run's command line. This is the only place that prints an error and
 * the only place that chooses an exit status:
 *
 *   125  cdb-run itself failed: usage, spec, policy, setup;
 *   126  the service's program could not be executed;
 *   127  the service's program was not found;
 *   else the service's own status, or 128 + N if signal N killed it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activation.h"
#include "error.h"
#include "plan.h"
#include "policy.h"
#include "sandbox.h"
#include "spec.h"

#define EXIT_SETUP 125

struct options
{
  const char *spec_path;
  bool dry_run;
  unsigned int preserve_fds;
  long stop_timeout; /* -1: the spec's */
  char **args;       /* the arguments after the options, if any */
  size_t n_args;
};

/* Errors are one line, whatever bytes a spec or an argument put into
   them: control characters are shown as '?'. */
static void
print_error (const char *msg)
{
  const unsigned char *c;

  fputs ("cdb-run: ", stderr);
  for (c = (const unsigned char *) msg; *c != '\0'; c++)
    fputc (*c < 0x20 || *c == 0x7f ? '?' : *c, stderr);
  fputc ('\n', stderr);
}

static void
usage (FILE *out)
{
  fputs ("Usage: cdb-run --spec FILE [--dry-run] [--preserve-fds N]\n"
         "               [--] [ARGS...]\n"
         "\n"
         "Runs the service described by FILE, an OCI-style spec, in a\n"
         "hardened sandbox. ARGS, when given, replace process.args.\n"
         "\n"
         "  -s, --spec FILE   the service spec (see cdb-run-spec(5))\n"
         "  -n, --dry-run     print the resolved plan as JSON and exit\n"
         "      --preserve-fds N\n"
         "                    pass descriptors 3 to 3+N-1 to the service\n"
         "      --stop-timeout SECONDS\n"
         "                    time between SIGTERM and SIGKILL (default 10)\n"
         "  -h, --help        print this help and exit\n"
         "  -V, --version     print the version and exit\n"
         "\n"
         "Exit status: 125 cdb-run failed, 126 the program could not be\n"
         "executed, 127 it was not found, else the service's status\n"
         "(128+N when signal N killed it).\n",
         out);
}

static void
die_usage (const char *msg)
{
  fprintf (stderr, "cdb-run: usage: %s (see cdb-run --help)\n", msg);
  exit (EXIT_SETUP);
}

static void
die_option (const char *problem, const char *option)
{
  char msg[256];

  snprintf (msg, sizeof msg, "option %.64s %s", option, problem);
  die_usage (msg);
}

static long
parse_count (const char *text, long max, const char *option)
{
  char msg[128];
  char *end;
  long n;

  /* Digits only: strtol would also take a sign and leading blanks. */
  errno = 0;
  n = strtol (text, &end, 10);
  if (errno != 0 || text[0] < '0' || text[0] > '9' || *end != '\0' || n < 0
      || n > max)
    {
      snprintf (msg, sizeof msg, "%s takes a number from 0 to %ld", option,
                max);
      die_usage (msg);
    }
  return n;
}

static void
parse_options (int argc, char **argv, struct options *opts)
{
  static const struct option longopts[] = {
    { "spec", required_argument, NULL, 's' },
    { "dry-run", no_argument, NULL, 'n' },
    { "preserve-fds", required_argument, NULL, 'p' },
    { "stop-timeout", required_argument, NULL, 't' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
  };
  int c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:s:nhV", longopts, NULL)) != -1)
    switch (c)
      {
      case 's':
        opts->spec_path = optarg;
        break;
      case 'n':
        opts->dry_run = true;
        break;
      case 'p':
        opts->preserve_fds
            = (unsigned int) parse_count (optarg, 65536, "--preserve-fds");
        break;
      case 't':
        opts->stop_timeout = parse_count (optarg, 3600, "--stop-timeout");
        break;
      case 'h':
        usage (stdout);
        exit (EXIT_SUCCESS);
      case 'V':
        puts (PACKAGE_STRING);
        exit (EXIT_SUCCESS);
      case ':':
        die_option ("needs an argument", argv[optind - 1]);
        break;
      default:
        die_option ("is unknown", argv[optind - 1]);
      }

  if (opts->spec_path == NULL)
    die_usage ("--spec FILE is required");

  opts->args = argv + optind;
  opts->n_args = (size_t) (argc - optind);
}

static int
print_plan (const struct cdb_plan *plan)
{
  json_t *doc = cdb_plan_to_json (plan);
  int rc;

  /* NULL: out of memory, or an argument given after -- is not UTF-8. */
  if (doc == NULL)
    {
      fputs ("cdb-run: dry-run: the plan cannot be written as JSON\n", stderr);
      return EXIT_SETUP;
    }

  rc = json_dumpf (doc, stdout, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
  json_decref (doc);
  if (rc < 0 || puts ("") == EOF || fflush (stdout) == EOF)
    {
      fputs ("cdb-run: dry-run: write the plan to stdout\n", stderr);
      return EXIT_SETUP;
    }
  return EXIT_SUCCESS;
}

static int
launch (const struct options *opts)
{
  struct cdb_plan plan;
  struct cdb_error err = { 0 };
  int status = EXIT_SETUP;

  if (cdb_spec_load (opts->spec_path, &cdb_builtin_policy, &plan, &err) < 0)
    {
      print_error (err.msg);
      return EXIT_SETUP;
    }

  if (opts->n_args > 0
      && cdb_plan_set_args (&plan, opts->args, opts->n_args, &err) < 0)
    goto fail;

  if (opts->stop_timeout >= 0)
    plan.stop_timeout = (unsigned int) opts->stop_timeout;

  /* The plan printed is the spec's; descriptors are this run's. */
  if (opts->dry_run)
    {
      status = print_plan (&plan);
      cdb_plan_free (&plan);
      return status;
    }

  if (cdb_activation_take (&plan, opts->preserve_fds, &err) < 0
      || cdb_activation_guard_terminal (&err) < 0)
    goto fail;

  if (cdb_sandbox_run (&plan, &status, &err) < 0)
    goto fail;

  /* The service could not be executed: status is 126 or 127. */
  if (err.msg[0] != '\0')
    print_error (err.msg);
  cdb_plan_free (&plan);
  return status;

fail:
  print_error (err.msg);
  cdb_plan_free (&plan);
  return EXIT_SETUP;
}

int
main (int argc, char **argv)
{
  struct options opts = { .stop_timeout = -1 };

  /* A caller that ignores SIGCHLD would have the kernel reap the sandbox
     behind cdb-run's back, and its exit would never be seen. */
  signal (SIGCHLD, SIG_DFL);

  parse_options (argc, argv, &opts);
  return launch (&opts);
}

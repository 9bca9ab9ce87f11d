/* SPDX-License-Identifier: MIT */
#include "process.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "spec.h"

/* A new network namespace starts with loopback down; a service expects to
   reach itself on 127.0.0.1. */
static int
bring_up_loopback (struct cdb_error *err)
{
  struct ifreq ifr = { 0 };
  _cleanup_close_ int sock = -1;

  sock = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return cdb_fail (err, errno, "network: socket");

  strcpy (ifr.ifr_name, "lo");
  if (ioctl (sock, SIOCGIFFLAGS, &ifr) < 0)
    return cdb_fail (err, errno, "network: read flags of lo");

  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl (sock, SIOCSIFFLAGS, &ifr) < 0)
    return cdb_fail (err, errno, "network: bring up lo");
  return 0;
}

int
cdb_process_set_host (const struct cdb_plan *plan, struct cdb_error *err)
{
  if (sethostname (plan->hostname, strlen (plan->hostname)) < 0)
    return cdb_fail (err, errno, "hostname: set %s ($.hostname)",
                     plan->hostname);

  if (plan->namespaces & CDB_NS_NETWORK)
    return bring_up_loopback (err);
  return 0;
}

static rlim_t
to_rlim (uint64_t value)
{
  return value == UINT64_MAX ? RLIM_INFINITY : (rlim_t) value;
}

/* Hard limits can only be lowered without CAP_SYS_RESOURCE; a plan that
   asks for more than the caller has fails here, naming the limit. */
static int
set_rlimits (const struct cdb_plan *plan, struct cdb_error *err)
{
  size_t i;

  for (i = 0; i < plan->n_rlimits; i++)
    {
      const struct cdb_rlimit *r = &plan->rlimits[i];
      struct rlimit lim = { to_rlim (r->soft), to_rlim (r->hard) };

      if (setrlimit (r->resource, &lim) < 0)
        return cdb_fail (err, errno,
                         "rlimits: set %s to %llu/%llu "
                         "($.process.rlimits)",
                         cdb_spec_rlimit_name (r->resource),
                         (unsigned long long) r->soft,
                         (unsigned long long) r->hard);
    }
  return 0;
}

int
cdb_process_set_limits (const struct cdb_plan *plan, struct cdb_error *err)
{
  if (set_rlimits (plan, err) < 0)
    return -1;

  umask (plan->umask);
  return 0;
}

int
cdb_process_enter_cwd (const struct cdb_plan *plan, struct cdb_error *err)
{
  if (chdir (plan->cwd) < 0)
    return cdb_fail (err, errno, "cwd: chdir %s ($.process.cwd)", plan->cwd);
  return 0;
}

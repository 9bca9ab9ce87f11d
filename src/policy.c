/* SPDX-License-Identifier: MIT */
#include "policy.h"

#include <linux/capability.h>
#include <stddef.h>

/* The proc and sys files that leak host details or offer kernel knobs;
   the same set container engines hide by default. */
static const char *const masked_paths[] = {
  "/proc/acpi",
  "/proc/asound",
  "/proc/interrupts",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/sys/firmware",
  "/sys/devices/virtual/powercap",
  NULL,
};

static const char *const readonly_paths[] = {
  "/proc/bus",           "/proc/fs", "/proc/irq", "/proc/sys",
  "/proc/sysrq-trigger", NULL,
};

const struct cdb_policy cdb_builtin_policy = {
  .default_uid = 1000,
  .id_min = 1000,
  .default_gid = 1000,
  .default_umask = 0022,

  .cap_allowlist = UINT64_C (1) << CAP_NET_BIND_SERVICE,

  .default_hostname = "sandbox",
  .default_path = "/usr/local/bin:/usr/bin:/bin",
  .default_home = "/tmp",

  .tmp_options = "size=64m,mode=1777",
  .tmpfs_max_bytes = UINT64_C (1) << 30,
  .default_nofile = 1024,

  /* 512 MiB and half a CPU, the service hardening checklist's limits;
     1024 tasks leave room for thread pools and stop a fork bomb. */
  .default_memory = INT64_C (512) << 20,
  .default_cpu_quota = 50000,
  .default_cpu_period = 100000,
  .default_pids = 1024,
  .default_stop_timeout = 10,

  .masked_paths = masked_paths,
  .readonly_paths = readonly_paths,
};

#!/bin/bash
# Resource limits and lifecycle, with the real binary: each test runs a
# small workload under cdb-run and asserts on what the kernel's cgroup
# accounting and the process table show. No test asserts on wall time.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
source "$HERE/lib.sh"

PY=/usr/bin/python3

# A spec that runs python3 with CODE; EXTRA, as for write_spec, adds
# top-level members such as linux.resources.
python_spec() {
	local name=$1 code=$2
	local file=$SCRATCH/$name.py
	printf '%s\n' "$code" >"$file"
	chmod 0644 "$file"
	write_spec "$name" / "$(json_args "$PY" "$file")"
}

resources() {
	printf ', "linux": { "resources": %s }' "$1"
}

# run_with_pid SPEC: runs cdb-run in the background so that its pid is
# known; sets RC and CDB_PID.
run_with_pid() {
	"$CDB_RUN" --spec "$1" >"$SCRATCH/out" 2>"$SCRATCH/err" </dev/null &
	CDB_PID=$!
	LAST_CMD="$CDB_RUN --spec $1"
	wait_bounded "$CDB_PID"
}

# The cgroup directories cdb-run with pid PID made: cdb-run.<pid>.<random>.
cgroups_of() {
	find /sys/fs/cgroup -name "cdb-run.$1.*" -type d 2>/dev/null
}

# A service that allocates past its memory limit is killed by the
# kernel; cdb-run says so in one line and exits 137.
test_out_of_memory() {
	local spec
	spec=$(EXTRA=$(resources '{ "memory": { "limit": 67108864 } }') \
		python_spec oom 'x = bytearray(256 << 20); print("survived")')
	run_sandbox "$spec"
	assert_eq "exit status" 137 "$RC"
	assert_eq "stderr lines" 1 "$(line_count "$ERR")"
	assert_contains "stderr" "cdb-run: oom:" "$ERR"
	assert_contains "stderr" "limit of 64 MiB" "$ERR"
	[[ $OUT != *survived* ]] || fail "the allocation succeeded"
}

# A fork bomb stops at the pids limit, and cdb-run returns.
test_fork_bomb() {
	local spec
	spec=$(EXTRA=$(resources '{ "pids": { "limit": 32 } }') python_spec bomb '
import os, time
children = 0
try:
    for _ in range(1000):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
except OSError as e:
    print("fork_error=" + type(e).__name__)
print("children=%d" % children)')
	run_sandbox "$spec"
	assert_rc 0
	assert_probe fork_error BlockingIOError
	local n
	n=$(probe_value children)
	[[ $n =~ ^[0-9]+$ ]] && ((n < 32)) ||
		fail "children: expected fewer than 32 (the limit), found '$n'"
}

# Two busy processes under the default half a CPU get about half a core
# together, as the cgroup's own CPU accounting counts it.
test_half_a_cpu() {
	local spec
	spec=$(python_spec cpu '
import os, time
def usage_ns():
    for line in open("/proc/self/cgroup"):
        _, names, path = line.rstrip("\n").split(":", 2)
        if "cpuacct" in names.split(","):
            return int(open("/sys/fs/cgroup/cpuacct%s/cpuacct.usage" % path).read())
        if names == "" and os.path.exists("/sys/fs/cgroup%s/cpu.stat" % path):
            for l in open("/sys/fs/cgroup%s/cpu.stat" % path):
                if l.startswith("usage_usec"):
                    return int(l.split()[1]) * 1000
    return None
start, used0 = time.monotonic(), usage_ns()
pids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        end = time.monotonic() + 3
        while time.monotonic() < end:
            pass
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
wall, used = time.monotonic() - start, usage_ns()
if used is None or used0 is None:
    print("share=unknown")
else:
    print("share=%d" % round(100 * (used - used0) / 1e9 / wall))')
	run_sandbox "$spec"
	assert_rc 0
	local share
	share=$(probe_value share)
	[[ $share == unknown ]] && { skip "no CPU accounting for the cgroup"; return; }
	((share >= 35 && share <= 65)) ||
		fail "CPU share: expected about 50% of a core, found $share%"
}

# The limits the kernel holds are the plan's.
test_limits_in_effect() {
	local spec
	spec=$(EXTRA=$(resources '{ "memory": { "limit": 134217728 }, "pids": { "limit": 77 } }') \
		python_spec limits '
for line in open("/proc/self/cgroup"):
    _, names, path = line.rstrip("\n").split(":", 2)
    names = names.split(",")
    if "memory" in names:
        print("memory=" + open("/sys/fs/cgroup/memory%s/memory.limit_in_bytes" % path).read().strip())
    if "pids" in names:
        print("pids=" + open("/sys/fs/cgroup/pids%s/pids.max" % path).read().strip())
    if names == [""]:
        import os
        base = "/sys/fs/cgroup" + path
        if os.path.exists(base + "/memory.max"):
            print("memory=" + open(base + "/memory.max").read().strip())
        if os.path.exists(base + "/pids.max"):
            print("pids=" + open(base + "/pids.max").read().strip())')
	run_sandbox "$spec"
	assert_rc 0
	assert_probe memory 134217728
	assert_probe pids 77
}

# No cgroup directory of the service remains, whether it ended well, was
# killed for memory, or failed to start.
test_cgroups_removed() {
	local ok oom bad
	ok=$(python_spec removed_ok 'print("ran")')
	oom=$(EXTRA=$(resources '{ "memory": { "limit": 33554432 } }') \
		python_spec removed_oom 'x = bytearray(128 << 20)')
	bad=$(EXTRA=', "mounts": [{ "destination": "/nonexistent-dir", "type": "tmpfs" }]' \
		python_spec removed_bad 'print("ran")')
	run_with_pid "$ok"
	assert_eq "exit status" 0 "$RC"
	assert_eq "cgroups left after a run" "" "$(cgroups_of "$CDB_PID")"
	run_with_pid "$oom"
	assert_eq "oom exit status" 137 "$RC"
	assert_eq "cgroups left after oom" "" "$(cgroups_of "$CDB_PID")"
	run_with_pid "$bad"
	assert_eq "failed start exit status" 125 "$RC"
	assert_eq "cgroups left after a failure" "" "$(cgroups_of "$CDB_PID")"
}

# A service that ignores SIGTERM is killed once the stop timeout is over,
# and cdb-run exits 137.
test_stop_timeout() {
	local spec out=$SCRATCH/stop.out pid
	spec=$(python_spec stop '
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(60)')
	rm -f "$out"
	"$CDB_RUN" --stop-timeout 1 --spec "$spec" >"$out" 2>"$SCRATCH/stop.err" </dev/null &
	pid=$!
	LAST_CMD="$CDB_RUN --stop-timeout 1 --spec $spec (then kill -TERM)"
	if ! wait_for_line "$out" ready; then
		kill -KILL "$pid"
		fail "the service never said ready"
		return
	fi
	kill -TERM "$pid"
	wait_bounded "$pid"
	assert_eq "exit status" 137 "$RC"
	wait_gone "$spec" || fail "the service outlived cdb-run"
}

# A daemon the service starts (double fork, new session) is gone once the
# service has exited.
test_daemon_dies_with_service() {
	local spec marker=cdb-daemon-$$
	spec=$(write_spec daemon / "$(json_args /bin/sh -c \
		"setsid sh -c 'exec -a $marker sleep 60' </dev/null >/dev/null 2>&1 & exit 0")")
	run_sandbox "$spec"
	assert_rc 0
	wait_gone "$marker" || {
		fail "the daemon survived: pid $(pids_matching "$marker")"
		kill_leftovers "$marker"
	}
}

# With a cgroup namespace, the service's cgroup is its root.
test_cgroup_namespace() {
	local spec
	spec=$(EXTRA=', "linux": { "namespaces": [{ "type": "cgroup" }] }' \
		write_spec cgns / "$(json_args /bin/cat /proc/self/cgroup)")
	run_sandbox "$spec"
	assert_rc 0
	[[ -n $OUT ]] || fail "no /proc/self/cgroup"
	local line
	while read -r line; do
		[[ $line == *:/ ]] || fail "cgroup seen from inside: '$line'"
	done <<<"$OUT"
}

# An ordinary user cannot create cgroups here: the default limits stop the
# start with one clear line; turned off explicitly, the service runs.
test_unprivileged_limits() {
	setup_unprivileged || { skip "$UNPRIV_WHY"; return; }
	local spec off
	spec=$(write_spec unpriv_limits / '["/bin/true"]')
	off=$(EXTRA=$NO_LIMITS write_spec unpriv_nolimits / '["/bin/true"]')
	run_unprivileged "$spec"
	if ((RC == 0)); then
		skip "$TEST_USER may create cgroups on this machine"
		return
	fi
	assert_eq "exit status" 125 "$RC"
	assert_contains "stderr" "cdb-run: cgroups: create" "$ERR"
	assert_contains "stderr" "-1 in \$.linux.resources" "$ERR"
	run_unprivileged "$off"
	assert_rc 0
}

# cdb-run as PID 1 of a PID namespace, as in a container: the service's
# status comes back, and a SIGTERM sent to cdb-run (PID 1 ignores signals
# it has no handler for) still reaches the service.
test_as_pid_one() {
	command -v unshare >/dev/null || { skip "unshare (util-linux) is missing"; return; }
	local spec out=$SCRATCH/pid1.out pid cdb
	spec=$(write_spec pid1_exit / "$(json_args /bin/sh -c 'exit 3')")
	timeout -k 5 "$RUN_TIMEOUT" unshare -fp --mount-proc "$CDB_RUN" --spec "$spec" \
		</dev/null >/dev/null 2>&1
	assert_eq "exit status as PID 1" 3 "$?"

	printf '%s\n' 'trap "echo got-term; exit 42" TERM' 'echo ready' \
		'sleep 30 & wait' >"$SCRATCH/pid1_term.sh"
	chmod 0644 "$SCRATCH/pid1_term.sh"
	spec=$(write_spec pid1_term / "$(json_args /bin/sh "$SCRATCH/pid1_term.sh")")
	unshare -fp --mount-proc "$CDB_RUN" --spec "$spec" >"$out" 2>&1 </dev/null &
	pid=$!
	LAST_CMD="unshare -fp --mount-proc $CDB_RUN --spec $spec (then kill -TERM)"
	wait_for_line "$out" ready || { fail "the service never said ready"; kill -KILL "$pid"; return; }
	cdb=$(pgrep -P "$pid" -x cdb-run)
	[[ -n $cdb ]] || { fail "no cdb-run below unshare"; kill -KILL "$pid"; return; }
	kill -TERM "$cdb"
	wait_bounded "$pid"
	assert_eq "exit status after SIGTERM" 42 "$RC"
	assert_contains "service output" got-term "$(cat "$out")"
}

ALL_TESTS=(
	test_out_of_memory
	test_fork_bomb
	test_half_a_cpu
	test_limits_in_effect
	test_cgroups_removed
	test_stop_timeout
	test_daemon_dies_with_service
	test_cgroup_namespace
	test_unprivileged_limits
	test_as_pid_one
)

run_suite "$@"

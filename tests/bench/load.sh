#!/bin/bash
# Load test (not part of make check): N sequential and M concurrent
# launches of a short service, then a check that nothing leaked: no mount
# in the caller's namespace, no cgroup, no process, no descriptor of the
# caller. Prints launches per second. Bounded in count and in time.
#
#   tests/bench/load.sh [SEQUENTIAL [CONCURRENT]]    (defaults 1000 50)
#
# Run as root from a build tree, or set CDB_RUN to the binary.
set -u
SEQUENTIAL=${1:-1000}
CONCURRENT=${2:-50}
CDB_RUN=${CDB_RUN:-$(cd "$(dirname "$0")/../.." && pwd)/src/cdb-run}
LIMIT=600 # seconds, for each phase

spec=$(mktemp /var/tmp/cdb-load.XXXXXX.json)
trap 'rm -f "$spec"' EXIT
cat >"$spec" <<JSON
{ "process": { "args": ["/bin/true"] }, "root": { "path": "/" } }
JSON
chmod 0644 "$spec"

list_cgroups() { find /sys/fs/cgroup -name 'cdb-run.*' -type d 2>/dev/null | sort; }

# Leftovers of earlier, killed runs are not this test's.
cgroups_before=$(list_cgroups)
mounts_before=$(wc -l </proc/self/mountinfo)
fds_before=$(ls /proc/$$/fd | wc -l)

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }

failures=0
start=$(now)
for ((i = 0; i < SEQUENTIAL; i++)); do
	timeout "$LIMIT" "$CDB_RUN" --spec "$spec" || failures=$((failures + 1))
done
end=$(now)
echo "sequential: $SEQUENTIAL launches, $failures failed, $(rate "$SEQUENTIAL" "$start" "$end") launches/s"

failed_concurrent=0
start=$(now)
pids=()
for ((i = 0; i < CONCURRENT; i++)); do
	timeout "$LIMIT" "$CDB_RUN" --spec "$spec" &
	pids+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid" || failed_concurrent=$((failed_concurrent + 1))
done
end=$(now)
echo "concurrent: $CONCURRENT launches at once, $failed_concurrent failed, $(rate "$CONCURRENT" "$start" "$end") launches/s"

leaks=0
mounts_after=$(wc -l </proc/self/mountinfo)
[[ $mounts_after == "$mounts_before" ]] ||
	{ echo "leak: mounts $mounts_before -> $mounts_after"; leaks=1; }
fds_after=$(ls /proc/$$/fd | wc -l)
[[ $fds_after == "$fds_before" ]] ||
	{ echo "leak: descriptors $fds_before -> $fds_after"; leaks=1; }
cgroups=$(comm -13 <(echo "$cgroups_before") <(list_cgroups) | grep -c . || true)
((cgroups == 0)) || { echo "leak: $cgroups cgroup directories"; leaks=1; }
procs=$(grep -l -s -x -e cdb-init -e cdb-run /proc/[0-9]*/comm | wc -l)
((procs == 0)) || { echo "leak: $procs cdb-run or cdb-init processes"; leaks=1; }

((leaks == 0)) && echo "no leaked mount, cgroup, process or descriptor"
((failures + failed_concurrent + leaks == 0))

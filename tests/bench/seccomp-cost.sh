#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What the seccomp filters cost per system call: syscall-loop.c calls
# getppid(2) N times and prints ns/call, run
#
#   host           directly, no sandbox, no filter (the baseline);
#   bwrap          under bubblewrap with every namespace, no filter;
#   cdb-run        under cdb-run's built-in filter (two programs);
#   cdb-run+docker the same plus Docker's and Podman's default profile
#                  (/usr/share/containers/seccomp.json) through the
#                  spec's linux.seccomp: three programs.
#
# Each configuration runs REPEAT times (5), taking turns so that a slow
# moment of the machine spreads over all of them; the table shows the
# median and its ratio to the host's. The time is the process's CPU time
# (user and system), which cdb-run's default CPU quota cannot stretch;
# the specs turn the quota off all the same. A benchmark, not a test: it asserts
# nothing about time. Needs root (cdb-run's default mode) and a C compiler
# that links statically.
#
#   tests/bench/seccomp-cost.sh [N]        (N: 5000000 calls a run)
#
# Environment: CDB_RUN (default: the build tree's), REPEAT, CC.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${CDB_RUN:=$HERE/../../src/cdb-run}"
: "${REPEAT:=5}"
: "${CC:=cc}"
N=${1:-5000000}
PROFILE=/usr/share/containers/seccomp.json

die() {
	echo "seccomp-cost: $*" >&2
	exit 1
}

# The loop program, static, where uid 1000 can run it.
build_loop() {
	WORK=$(mktemp -d /var/tmp/cdb-bench.XXXXXX) || die "mktemp"
	chmod 0755 "$WORK"
	trap 'rm -rf -- "$WORK"' EXIT
	LOOP=$WORK/syscall-loop
	"$CC" -O2 -static -o "$LOOP" "$HERE/syscall-loop.c" || die "cannot build syscall-loop"
}

# write_spec FILE [PROFILE]: the loop under the host's root, with the
# profile as linux.seccomp when given.
write_spec() {
	python3 - "$1" "$LOOP" "$N" "${2:-}" <<'PY'
import json, sys
path, loop, n, profile = sys.argv[1:5]
spec = {"process": {"args": [loop, n]}, "root": {"path": "/"},
        "linux": {"resources": {"cpu": {"quota": -1}}}}
if profile:
    spec["linux"]["seccomp"] = json.load(open(profile))
json.dump(spec, open(path, "w"))
PY
	chmod 0644 "$1"
}

# Each configuration: a name and the command that runs the loop.
setup_configs() {
	NAMES=(host)
	CMDS=("$LOOP $N")
	if command -v bwrap >/dev/null; then
		NAMES+=(bwrap)
		CMDS+=("bwrap --ro-bind / / --dev /dev --proc /proc --unshare-all --die-with-parent $LOOP $N")
	else
		NOTES+=("bwrap is not installed (apt-get install bubblewrap): no bwrap row")
	fi
	write_spec "$WORK/default.json"
	NAMES+=(cdb-run)
	CMDS+=("$CDB_RUN --spec $WORK/default.json")
	setup_docker_profile
}

# The profile row, when the spec takes linux.seccomp (another part of
# cdb-run may not have it yet: then the row is left out, and said so).
setup_docker_profile() {
	local err
	[[ -r $PROFILE ]] || { NOTES+=("$PROFILE is missing: no profile row"); return; }
	write_spec "$WORK/docker.json" "$PROFILE"
	if ! err=$("$CDB_RUN" --spec "$WORK/docker.json" -- /bin/true 2>&1 </dev/null); then
		NOTES+=("cdb-run refused linux.seccomp, no profile row: $err")
		return
	fi
	NAMES+=(cdb-run+docker)
	CMDS+=("$CDB_RUN --spec $WORK/docker.json")
}

# Runs every configuration REPEAT times, in turns; keeps each ns/call in
# $WORK/NAME.
measure() {
	local round i value
	for ((round = 1; round <= REPEAT; round++)); do
		for i in "${!NAMES[@]}"; do
			# shellcheck disable=SC2086 # a command line of plain words
			value=$(timeout 300 ${CMDS[$i]} </dev/null 2>/dev/null |
				sed -n 's/^cpu_ns_per_call=//p')
			[[ -n $value ]] || die "${NAMES[$i]} gave no result: ${CMDS[$i]}"
			echo "$value" >>"$WORK/${NAMES[$i]}"
		done
	done
}

median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

report() {
	local name base m runs
	base=$(median "$WORK/host")
	printf '%s calls of getppid a run, %s runs each; median CPU ns/call\n\n' "$N" "$REPEAT"
	printf '| %-15s | %8s | %8s | %-40s |\n' configuration ns/call "x host" "all runs"
	printf '|%s|%s|%s|%s|\n' "-----------------" "----------" "----------" \
		"------------------------------------------"
	for name in "${NAMES[@]}"; do
		m=$(median "$WORK/$name")
		runs=$(tr '\n' ' ' <"$WORK/$name")
		printf '| %-15s | %8.1f | %8.2f | %-40s |\n' "$name" "$m" \
			"$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')" "$runs"
	done
	printf '\nfilter cost per call (median minus host): '
	for name in "${NAMES[@]}"; do
		[[ $name == host ]] && continue
		printf '%s %+.1f ns; ' "$name" \
			"$(awk -v a="$(median "$WORK/$name")" -v b="$base" 'BEGIN { print a - b }')"
	done
	echo
	local note
	for note in "${NOTES[@]}"; do
		echo "note: $note"
	done
}

main() {
	NOTES=()
	[[ $(id -u) == 0 ]] || die "run as root"
	[[ -x $CDB_RUN ]] || die "$CDB_RUN is not built"
	build_loop
	setup_configs
	measure
	report
}

main

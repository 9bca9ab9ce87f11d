#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Start-up time: how long from the command to /bin/true's exit, measured
# by hyperfine, for
#
#   cdb-run /         cdb-run --spec min.json, the host's root read-only,
#                     with the default limits (a cgroup per run);
#   cdb-run / nolim   the same with every limit turned off: no cgroup;
#   cdb-run busybox   the same on a root holding only a static busybox;
#   bwrap             bubblewrap, host root, every namespace;
#   crun, runc        an OCI bundle on the busybox root, made by
#                     `crun spec` / `runc spec`, as root.
#
# Tools that are missing are left out, and said so. Bounded: WARMUP and
# RUNS (3 and 50) runs per command. A benchmark, not a test: it asserts
# nothing about time. Needs root.
#
#   tests/bench/startup.sh
#
# Environment: CDB_RUN (default: the build tree's), RUNS, WARMUP.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${CDB_RUN:=$HERE/../../src/cdb-run}"
: "${RUNS:=50}"
: "${WARMUP:=3}"
BUSYBOX=/bin/busybox

die() {
	echo "startup: $*" >&2
	exit 1
}

make_work() {
	WORK=$(mktemp -d /var/tmp/cdb-startup.XXXXXX) || die "mktemp"
	chmod 0755 "$WORK"
	trap 'rm -rf -- "$WORK"' EXIT
}

# A root with a static busybox, /bin/true a link to it.
make_rootfs() {
	local root=$WORK/rootfs
	mkdir -p "$root"/{bin,proc,dev,tmp,sys} || return 1
	cp "$BUSYBOX" "$root/bin/busybox" || return 1
	ln -s busybox "$root/bin/true"
	ln -s busybox "$root/bin/sh"
	chmod -R a+rX "$root"
}

# An OCI bundle for RUNTIME: its own `spec`, turned to run /bin/true
# without a terminal on a copy of the busybox root (runc refuses a root
# that is a symbolic link).
make_bundle() {
	local runtime=$1 dir=$WORK/bundle-$1
	mkdir -p "$dir" && cp -a "$WORK/rootfs" "$dir/rootfs" &&
		(cd "$dir" && "$runtime" spec) || return 1
	python3 - "$dir/config.json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["process"]["args"] = ["/bin/true"]
spec["process"]["terminal"] = False
spec["root"] = {"path": "rootfs", "readonly": True}
json.dump(spec, open(path, "w"), indent=1)
PY
}

add() {
	NAMES+=("$1")
	CMDS+=("$2")
}

setup_commands() {
	printf '{ "process": { "args": ["/bin/true"] }, "root": { "path": "/" } }\n' \
		>"$WORK/min.json"
	add "cdb-run /" "$CDB_RUN --spec $WORK/min.json"
	printf '{ "process": { "args": ["/bin/true"] }, "root": { "path": "/" },
  "linux": { "resources": { "memory": { "limit": -1, "swap": -1 },
    "cpu": { "quota": -1 }, "pids": { "limit": -1 } } } }\n' >"$WORK/nolimits.json"
	add "cdb-run / nolim" "$CDB_RUN --spec $WORK/nolimits.json"

	if [[ -x $BUSYBOX ]] && make_rootfs; then
		printf '{ "process": { "args": ["/bin/true"] }, "root": { "path": "%s" } }\n' \
			"$WORK/rootfs" >"$WORK/busybox.json"
		add "cdb-run busybox" "$CDB_RUN --spec $WORK/busybox.json"
	else
		NOTES+=("no static $BUSYBOX (busybox-static): no busybox root, no crun or runc")
	fi

	if command -v bwrap >/dev/null; then
		add bwrap "bwrap --ro-bind / / --proc /proc --dev /dev --unshare-all --die-with-parent /bin/true"
	else
		NOTES+=("bwrap is not installed (apt-get install bubblewrap)")
	fi

	local rt
	for rt in crun runc; do
		if ! command -v "$rt" >/dev/null; then
			NOTES+=("$rt is not installed (apt-get install $rt)")
		elif [[ -d $WORK/rootfs ]] && make_bundle "$rt" && runtime_works "$rt"; then
			add "$rt" "$rt run -b $WORK/bundle-$rt cdb-bench-$rt-$$"
		fi
	done
}

# One run first: a runtime that cannot start here (cgroups, kernel) is
# left out with its error rather than failing the benchmark.
runtime_works() {
	local err
	if ! err=$("$1" run -b "$WORK/bundle-$1" "cdb-bench-$1-$$" 2>&1 </dev/null); then
		NOTES+=("$1 cannot run here, left out: ${err:0:200}")
		"$1" delete -f "cdb-bench-$1-$$" >/dev/null 2>&1
		return 1
	fi
}

main() {
	NAMES=()
	CMDS=()
	NOTES=()
	[[ $(id -u) == 0 ]] || die "run as root"
	[[ -x $CDB_RUN ]] || die "$CDB_RUN is not built"
	command -v hyperfine >/dev/null || die "hyperfine is not installed (apt-get install hyperfine)"
	make_work
	setup_commands

	local args=() i
	for i in "${!NAMES[@]}"; do
		args+=(--command-name "${NAMES[$i]}" "${CMDS[$i]}")
	done
	hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic \
		--export-markdown "$WORK/table.md" "${args[@]}" </dev/null >&2 ||
		die "hyperfine failed"
	echo
	cat "$WORK/table.md"
	local note
	for note in "${NOTES[@]}"; do
		echo "note: $note"
	done
}

main

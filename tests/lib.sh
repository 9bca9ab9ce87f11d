# shellcheck shell=bash
# SPDX-License-Identifier: MIT
#
# Helpers for the integration tests; sourced, never run.
#
# A test is a bash function. It runs the real cdb-run with run_sandbox,
# then asserts on what the probe reported (probe_value KEY) or on the exit
# status and stderr. Each assertion that does not hold is recorded with
# what was expected and what was found; run_test turns the record into one
# "ok - NAME", "FAIL - NAME: details" or "skip - NAME: reason" line, and
# finish prints "N passed, N failed[, N skipped]" and sets the exit status.

# The binaries under test. `make check` sets these (AM_TESTS_ENVIRONMENT);
# the defaults suit a hand run of an in-tree build from any directory.
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${CDB_SRCDIR:=$LIB_DIR/..}"
: "${CDB_RUN:=$LIB_DIR/../src/cdb-run}"
: "${CDB_PROBE:=$LIB_DIR/probe}"

# No run may take longer than this; timeout(1) kills it and the test fails
# with status 124 or 137.
RUN_TIMEOUT=30

PASSED=0
FAILED=0
SKIPPED=0
TEST_FAILS=()
TEST_SKIP=""

SCRATCH=""
PROBE=""

# ------------------------------------------------------------------
# Scratch directory
# ------------------------------------------------------------------

# Under /var/tmp, not /tmp: the sandbox covers /tmp with its own tmpfs.
# World-readable, because the service runs as uid 1000 and a build tree
# under /root would not be reachable for it.
make_scratch() {
	SCRATCH=$(mktemp -d /var/tmp/cdb-test.XXXXXX) || return 1
	chmod 0755 "$SCRATCH" || return 1
	trap cleanup_scratch EXIT
	PROBE=$SCRATCH/probe
	install -m 0755 "$CDB_PROBE" "$PROBE"
}

# The pids whose command line contains PATTERN, from /proc (pgrep -f,
# without needing procps).
pids_matching() {
	local dir cmd
	for dir in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$dir/cmdline") || continue
		[[ $cmd == *"$1"* ]] && echo "${dir#/proc/}"
	done
	return 0
}

# Waits (bounded, 5 s) until no command line contains PATTERN; fails if
# one still does.
wait_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		[[ -z $(pids_matching "$1") ]] && return 0
		sleep 0.1
	done
	return 1
}

# Kills the processes whose command line contains PATTERN, which always
# holds the scratch directory's unique name: only this run's own probes
# (left over when a run went wrong) can match.
kill_leftovers() {
	local pid
	[[ -n $SCRATCH && $1 == *"$SCRATCH"* ]] || return 0
	for pid in $(pids_matching "$1"); do
		kill -KILL "$pid" 2>/dev/null
	done
}

cleanup_scratch() {
	local pid
	for pid in $(jobs -p); do
		kill -KILL "$pid" 2>/dev/null
	done
	kill_leftovers "$SCRATCH/"
	case $SCRATCH in
	/var/tmp/cdb-test.*) rm -rf -- "$SCRATCH" ;;
	esac
}

# ------------------------------------------------------------------
# Specs
# ------------------------------------------------------------------

# A JSON array of strings from the arguments; enough quoting for paths
# and words (no quotes or backslashes in them).
json_args() {
	local out="" arg
	for arg in "$@"; do
		out+="${out:+, }\"$arg\""
	done
	printf '[%s]' "$out"
}

# write_spec NAME ROOT ARGS_JSON: writes $SCRATCH/NAME.json with root.path
# ROOT and process.args ARGS_JSON, and prints its name. EXTRA adds
# top-level members and PROC_EXTRA members of "process"; each starts with
# a comma.
write_spec() {
	local file=$SCRATCH/$1.json
	cat >"$file" <<EOF
{
  "process": { "args": $3${PROC_EXTRA:-} },
  "root": { "path": "$2" }${EXTRA:-}
}
EOF
	chmod 0644 "$file"
	printf '%s\n' "$file"
}

# The common case: the host's root and the probe with ARGS.
probe_spec() {
	local name=$1
	shift
	write_spec "$name" / "$(json_args "$PROBE" "$@")"
}

# ------------------------------------------------------------------
# Running
# ------------------------------------------------------------------

# run_sandbox SPEC [ARGS...]: runs cdb-run --spec SPEC [-- ARGS], bounded
# by RUN_TIMEOUT. Sets RC, OUT and ERR (stdout and stderr as text) and
# keeps them in $SCRATCH/out, which probe_value reads, and $SCRATCH/err.
# RUN_AS, when set, is a command prefix (e.g. setpriv ...) for cdb-run;
# RUN_OPTS, options of cdb-run's own (e.g. --preserve-fds 2).
run_sandbox() {
	local spec=$1
	shift
	# shellcheck disable=SC2206 # RUN_OPTS is a list of words
	local cmd=("$CDB_RUN" ${RUN_OPTS:-} --spec "$spec")
	(($#)) && cmd+=(-- "$@")
	LAST_CMD="${cmd[*]}"
	# shellcheck disable=SC2086
	timeout -k 5 "$RUN_TIMEOUT" ${RUN_AS:-} "${cmd[@]}" \
		>"$SCRATCH/out" 2>"$SCRATCH/err" </dev/null
	RC=$?
	# shellcheck disable=SC2034 # read by the tests
	OUT=$(cat "$SCRATCH/out")
	ERR=$(cat "$SCRATCH/err")
	return 0
}

# The value of the first KEY=value line of the last run's stdout.
probe_value() {
	awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' \
		"$SCRATCH/out"
}

has_probe_key() {
	grep -q -F -x -e "$1" <(cut -d= -f1 "$SCRATCH/out")
}

line_count() {
	if [[ -z $1 ]]; then echo 0; else printf '%s\n' "$1" | wc -l; fi
}

# ------------------------------------------------------------------
# Waiting, always bounded
# ------------------------------------------------------------------

# Waits (bounded) until FILE has a line LINE.
wait_for_line() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q -x -F -e "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Waits (bounded) for background PID to end; sets RC. Kills it if it does
# not end in time.
wait_bounded() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		RC=timeout
		return 1
	fi
	wait "$1"
	RC=$?
}

# Waits (bounded, 10 s) until FILE exists and is not empty.
wait_for_file() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -s $1 ]] && return 0
		sleep 0.1
	done
	return 1
}

# ------------------------------------------------------------------
# Assertions: each returns 0 or records the failure and returns 1.
# ------------------------------------------------------------------

# Records a failure, on one line and cut to a readable length.
fail() {
	local msg=${*//$'\n'/ | }
	((${#msg} > 400)) && msg="${msg:0:400}..."
	TEST_FAILS+=("$msg")
	return 1
}

skip() {
	TEST_SKIP=$*
}

assert_eq() {
	[[ $3 == "$2" ]] || fail "$1: expected '$2', found '$3'"
}

assert_ne() {
	[[ $3 != "$2" ]] || fail "$1: expected anything but '$2'"
}

assert_contains() {
	[[ $3 == *"$2"* ]] || fail "$1: expected to contain '$2', found '$3'"
}

# assert_le WHAT MAX FOUND, for whole numbers.
assert_le() {
	if [[ $3 =~ ^[0-9]+$ ]] && (($3 <= $2)); then
		return 0
	fi
	fail "$1: expected a number <= $2, found '$3'"
}

# assert_option WHAT OPTION LIST: OPTION is an element of the comma list.
assert_option() {
	[[ ",$3," == *",$2,"* ]] || fail "$1: expected option '$2' in '$3'"
}

# assert_probe KEY EXPECTED: the probe reported KEY=EXPECTED.
assert_probe() {
	if has_probe_key "$1"; then
		assert_eq "$1" "$2" "$(probe_value "$1")"
	else
		fail "$1: expected '$2', not reported (rc $RC, stderr: ${ERR:0:200})"
	fi
}

assert_rc() {
	[[ $RC == "$1" ]] ||
		fail "exit status: expected $1, found $RC (stderr: ${ERR:0:300})"
}

# assert_setup_error CASE [NEEDLE]: the launcher's own failure, status 125
# and exactly one line on stderr, "cdb-run: ...", containing NEEDLE.
assert_setup_error() {
	local case=$1 needle=${2:-}
	assert_eq "$case: exit status" 125 "$RC"
	assert_eq "$case: stderr lines" 1 "$(line_count "$ERR")"
	assert_eq "$case: stderr prefix" "cdb-run: " "${ERR:0:9}"
	[[ -z $needle ]] || assert_contains "$case: stderr" "$needle" "$ERR"
}

# ------------------------------------------------------------------
# An unprivileged caller
# ------------------------------------------------------------------

TEST_USER=cdbtest

# linux.resources with every limit turned off, for EXTRA: an unprivileged
# caller without a delegated cgroup cannot set limits, and must say so
# (lifecycle.sh tests that). Tests of other measures run this way.
# shellcheck disable=SC2034 # read by the tests
NO_LIMITS=', "linux": { "resources": { "memory": { "limit": -1, "swap": -1 },
    "cpu": { "quota": -1 }, "pids": { "limit": -1 } } }'

# A system user without supplementary groups; created once, kept.
ensure_test_user() {
	id -u "$TEST_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --user-group \
			--shell /usr/sbin/nologin "$TEST_USER" >/dev/null 2>&1 ||
		id -u "$TEST_USER" >/dev/null 2>&1
}

# Prepares runs as TEST_USER: sets AS (the command prefix) and UNPRIV_RUN
# (a copy of cdb-run the user can reach: the build tree may be below a
# directory it cannot enter). When it cannot, fails with UNPRIV_WHY set.
setup_unprivileged() {
	UNPRIV_WHY=""
	command -v setpriv >/dev/null || UNPRIV_WHY="setpriv (util-linux) is missing"
	[[ -n $UNPRIV_WHY ]] || ensure_test_user ||
		UNPRIV_WHY="could not create the user $TEST_USER"
	AS=(setpriv "--reuid=$TEST_USER" "--regid=$TEST_USER" --clear-groups --inh-caps=-all)
	[[ -n $UNPRIV_WHY ]] || "${AS[@]}" unshare --user true 2>/dev/null ||
		UNPRIV_WHY="user namespaces are not available to $TEST_USER"
	[[ -z $UNPRIV_WHY ]] || return 1
	UNPRIV_RUN=$SCRATCH/cdb-run
	install -m 0755 "$CDB_RUN" "$UNPRIV_RUN"
}

# run_unprivileged SPEC [ARGS...]: run_sandbox as TEST_USER, from the
# scratch directory; sets RC, OUT and ERR as run_sandbox does.
run_unprivileged() {
	(cd "$SCRATCH" && CDB_RUN=$UNPRIV_RUN RUN_AS="${AS[*]}" run_sandbox "$@" &&
		echo "$RC" >"$SCRATCH/rc")
	RC=$(cat "$SCRATCH/rc")
	# shellcheck disable=SC2034 # read by the tests
	OUT=$(cat "$SCRATCH/out")
	ERR=$(cat "$SCRATCH/err")
	LAST_CMD="${AS[*]} $UNPRIV_RUN --spec $*"
}

# ------------------------------------------------------------------
# Running tests
# ------------------------------------------------------------------

run_test() {
	local name=$1 status
	TEST_FAILS=()
	TEST_SKIP=""
	"$name"
	status=$?
	if ((${#TEST_FAILS[@]} == 0)) && ((status != 0)) && [[ -z $TEST_SKIP ]]; then
		TEST_FAILS+=("the test returned $status")
	fi

	if ((${#TEST_FAILS[@]})); then
		FAILED=$((FAILED + 1))
		local details="" f
		for f in "${TEST_FAILS[@]}"; do
			details+="${details:+; }$f"
		done
		echo "FAIL - $name: $details"
		echo "#   last command: ${LAST_CMD:-none}"
	elif [[ -n $TEST_SKIP ]]; then
		SKIPPED=$((SKIPPED + 1))
		echo "skip - $name: $TEST_SKIP"
	else
		PASSED=$((PASSED + 1))
		echo "ok - $name"
	fi
}

# run_suite [TEST...]: the main of a test script. Needs root and the
# built binaries; runs the named tests, else all of ALL_TESTS, in a fresh
# scratch directory, then prints the summary.
run_suite() {
	if [[ $(id -u) != 0 ]]; then
		echo "skip: these tests need root (they create namespaces," \
			"mounts and a test user); run them as root or in CI"
		exit 77
	fi
	local missing
	for missing in "$CDB_RUN" "$CDB_PROBE"; do
		[[ -x $missing ]] || { echo "error: $missing is not built"; exit 99; }
	done
	make_scratch || { echo "error: cannot make a scratch directory"; exit 99; }

	local name
	for name in "${@:-${ALL_TESTS[@]}}"; do
		run_test "$name"
	done
	finish
}

# Prints the summary; exits 0 only when nothing failed, 77 (automake's
# skip) when everything was skipped.
finish() {
	local line="$PASSED passed, $FAILED failed"
	((SKIPPED)) && line+=", $SKIPPED skipped"
	echo "$line"
	((FAILED == 0)) || exit 1
	((PASSED == 0 && SKIPPED > 0)) && exit 77
	exit 0
}

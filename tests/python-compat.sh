#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Python compatibility: tests/python-compat.py, a real workload (threads,
# subprocess, multiprocessing, sockets, asyncio, TLS, sqlite3, ctypes...),
# run by the distribution's /usr/bin/python3 inside the sandbox. Each of
# its checks reports "py.NAME=ok"; a check the filter or the sandbox
# breaks reports "py.NAME=FAIL: ..." and fails here by name. Needs root,
# like integration.sh; skips without /usr/bin/python3.
#
#   CDB_RUN=... CDB_PROBE=... CDB_SRCDIR=... tests/python-compat.sh [TEST...]
# shellcheck disable=SC2317 # the tests are called by name, from ALL_TESTS
set -u

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Spawned interpreters and a TLS key take a few seconds on a slow machine.
RUN_TIMEOUT=120

PYTHON=/usr/bin/python3

# Copies the workload where uid 1000 can read it; prints the spec's name.
# EXTRA adds top-level members to the spec, as for write_spec.
workload_spec() {
	local name=$1
	install -m 0644 "$CDB_SRCDIR/tests/python-compat.py" "$SCRATCH/python-compat.py"
	write_spec "$name" / "$(json_args "$PYTHON" "$SCRATCH/python-compat.py")"
}

# Every check the workload announced reported, and each said ok (or
# "skipped: why", for a part this machine cannot run).
assert_workload() {
	local total lines line
	assert_rc 0 || return 0
	total=$(probe_value py.total)
	lines=$(grep -c '^py\.[a-z0-9_]*=' "$SCRATCH/out")
	if ! [[ $total =~ ^[0-9]+$ ]] || ((total <= 30)); then
		fail "py.total: expected the number of checks (over 30), found '$total'"
	fi
	assert_eq "checks that reported" "$((total + 1))" "$lines"
	while IFS= read -r line; do
		[[ $line == py.total=* || $line == *=ok || $line == *=skipped:* ]] ||
			fail "$line"
	done <"$SCRATCH/out"
	return 0
}

have_python() {
	[[ -x $PYTHON ]] || { skip "$PYTHON is not installed"; return 1; }
}

# The workload under the default filter, cdb-run started by root.
test_python_workload() {
	have_python || return 0
	run_sandbox "$(workload_spec python)"
	assert_workload
}

# The same from an unprivileged caller, in a user namespace.
test_python_workload_unprivileged() {
	have_python || return 0
	setup_unprivileged || { skip "$UNPRIV_WHY"; return; }
	run_unprivileged "$(EXTRA=$NO_LIMITS workload_spec python-unpriv)"
	assert_workload
}

# The same with Docker's and Podman's default profile stacked on the
# built-in filter through linux.seccomp, as a compose file's
# security_opt would add it.
test_python_workload_docker_profile() {
	local profile=/usr/share/containers/seccomp.json spec
	have_python || return 0
	[[ -r $profile ]] || { skip "$profile is missing (containers-common)"; return; }
	spec=$(EXTRA=', "linux": { "seccomp": '"$(cat "$profile")"' }' \
		workload_spec python-docker)
	run_sandbox "$spec"
	if [[ $RC == 125 && $ERR == *seccomp* ]]; then
		skip "this cdb-run does not take linux.seccomp: $ERR"
		return
	fi
	assert_workload
}

ALL_TESTS=(
	test_python_workload
	test_python_workload_unprivileged
	test_python_workload_docker_profile
)

run_suite "$@"

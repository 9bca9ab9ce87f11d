#!/bin/bash
# SPDX-License-Identifier: MIT
#
# CPython's own regression tests, inside the sandbox and outside it: a
# selection of the distribution's test suite (Debian's
# libpython3.11-testsuite) is run by /usr/bin/python3 -m test
#
#   inside   under cdb-run with the default spec: uid 1000, the host's
#            root read-only, a 64 MiB tmpfs /tmp (noexec), hostname
#            "sandbox", the built-in seccomp filter, the default memory
#            and pids limits; only the CPU quota is turned off, which
#            would make the run slower and nothing else;
#   outside  directly on the host as the unprivileged user cdbtest, with
#            the same environment and a private TMPDIR;
#
# and every test case that fails, errs or is skipped only inside is listed
# with the first line of its message. To tell the sandbox's two known
# relaxable settings from the rest (the filter, the read-only root...),
# the test files that differed run a third time inside, "relaxed": /tmp
# a 1 GiB tmpfs that allows exec, and the host's own hostname. A case
# that passes relaxed is marked [noexec /tmp or hostname]; one that still
# fails is marked [NOT explained] and wants reading.
#
# This is a script with its own report, not a test of `make check`: it
# takes minutes, and a difference is something to read, not an error.
#
#   tests/cpython-regrtest.sh [TEST...]     (default: the selection below)
#
# Environment: CDB_RUN (default: the build tree's), REGRTEST_JOBS (2),
# REGRTEST_TIMEOUT (per test file, seconds, 900), REGRTEST_KEEP (a
# directory to keep the logs and JUnit files in).
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${CDB_RUN:=$HERE/../src/cdb-run}"
: "${REGRTEST_JOBS:=2}"
: "${REGRTEST_TIMEOUT:=900}"
PYTHON=/usr/bin/python3
USER_OUTSIDE=cdbtest
# No "network": besides loopback it reaches for hosts on the internet.
RESOURCES=all,-largefile,-cpu,-gui,-audio,-network,-urlfetch,-tzdata

SELECTION=(
	test_os test_posix test_socket test_select test_selectors test_signal
	test_threading test_subprocess test_asyncio test_concurrent_futures
	test_multiprocessing_fork test_multiprocessing_spawn test_ssl test_json
	test_time test_tempfile test_shutil test_pathlib test_io test_fileio
	test_resource test_mmap test_zlib test_hashlib test_fcntl test_pty
	test_socketserver test_httpservers test_logging test_ctypes
	test_faulthandler test_eintr test_epoll test_poll test_wait4
	test_getpass test_pwd test_grp test_platform test_uuid
)

die() {
	echo "cpython-regrtest: $*" >&2
	exit 1
}

# Checks what the runs need; installs nothing.
preflight() {
	[[ $(id -u) == 0 ]] || die "run as root (cdb-run's default mode, and setpriv)"
	[[ -x $CDB_RUN ]] || die "$CDB_RUN is not built"
	[[ -x $PYTHON ]] || die "$PYTHON is missing"
	"$PYTHON" -c 'import test.libregrtest' 2>/dev/null ||
		die "CPython's test suite is missing: apt-get install libpython3.11-testsuite"
	id -u "$USER_OUTSIDE" >/dev/null 2>&1 || die "no user $USER_OUTSIDE"
	command -v setpriv >/dev/null || die "setpriv (util-linux) is missing"
}

# WORK: results, readable by uid 1000. OUTSIDE_TMP: the outside run's
# TMPDIR, short, because AF_UNIX socket paths are limited to 107 bytes.
make_work() {
	WORK=$(mktemp -d /var/tmp/cdb-regrtest.XXXXXX) || die "mktemp"
	OUTSIDE_TMP=$(mktemp -d /tmp/cdb-rt.XXXXXX) || die "mktemp"
	chmod 0755 "$WORK"
	chown "$USER_OUTSIDE:" "$OUTSIDE_TMP"
	trap 'rm -rf -- "$WORK" "$OUTSIDE_TMP"' EXIT
}

# The regrtest arguments, one a line, JUnit results to $1, then tests.
regrtest_args() {
	local junit=$1
	shift
	printf '%s\n' -m test -j "$REGRTEST_JOBS" --timeout "$REGRTEST_TIMEOUT" \
		-u "$RESOURCES" --junit-xml "$junit" "$@"
}

# write_spec NAME EXTRA TEST...: a spec running regrtest in the sandbox;
# the JUnit file is written to the sandbox's /tmp and printed on stdout
# when the run is over, regrtest's own log goes to stderr. EXTRA adds
# top-level members (each starting with a comma).
write_spec() {
	local name=$1 extra=$2 args
	shift 2
	# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
	args=$(regrtest_args /tmp/junit.xml "$@" | "$PYTHON" -c '
import json, sys
cmd = "\"$0\" \"$@\" >&2; rc=$?; cat /tmp/junit.xml; exit $rc"
print(json.dumps(["/bin/sh", "-c", cmd, sys.argv[1]] + sys.stdin.read().split()))
' "$PYTHON")
	printf '{ "process": { "args": %s, "cwd": "/tmp" },\n  "root": { "path": "/" },
  "linux": { "resources": { "cpu": { "quota": -1 } } }%s }\n' \
		"$args" "$extra" >"$WORK/$name.json"
	chmod 0644 "$WORK/$name.json"
}

# run_inside NAME: runs the spec NAME; results in NAME.xml, NAME.log, NAME.rc.
run_inside() {
	echo "$1: $CDB_RUN --spec $WORK/$1.json" >&2
	timeout -k 10 $((REGRTEST_TIMEOUT * 3)) "$CDB_RUN" --spec "$WORK/$1.json" \
		</dev/null >"$WORK/$1.xml" 2>"$WORK/$1.log"
	echo "$?" >"$WORK/$1.rc"
}

# The same interpreter and environment, as cdbtest, without a sandbox.
run_outside() {
	local tmp=$OUTSIDE_TMP
	echo "outside: setpriv --reuid=$USER_OUTSIDE ... $PYTHON -m test" >&2
	# shellcheck disable=SC2046 # one argument a line
	(cd "$tmp" && timeout -k 10 $((REGRTEST_TIMEOUT * 3)) \
		setpriv --reuid="$USER_OUTSIDE" --regid="$USER_OUTSIDE" --clear-groups \
		--inh-caps=-all env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$tmp" \
		TMPDIR="$tmp" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
		"$PYTHON" $(regrtest_args "$tmp/junit.xml" "${TESTS[@]}") \
		</dev/null >"$WORK/outside.log" 2>&1)
	echo "$?" >"$WORK/outside.rc"
	mv "$tmp/junit.xml" "$WORK/outside.xml" 2>/dev/null
}

# compare MODE: "files" prints the test files with a case that differs;
# "report" prints the report, with the relaxed run when there was one.
compare() {
	"$PYTHON" - "$WORK" "$1" <<'PY'
import os, sys, xml.etree.ElementTree as ET
from collections import Counter

work, mode = sys.argv[1:3]

def message(node, status):
    """A failure's exception line, or a skip's reason: one line."""
    text = (node.get("message") or node.text or "").strip()
    if status == "fail" and not node.get("message") and text:
        return text.splitlines()[-1]
    return (text.splitlines() or [""])[0]

def load(name):
    """{test case: (status, message)}, or None when the run left none."""
    path = "%s/%s.xml" % (work, name)
    if not os.path.exists(path):
        return None
    try:
        text = open(path, errors="replace").read()
        root = ET.fromstring(text[text.find("<"):])
    except ET.ParseError as e:
        sys.exit("no JUnit results from the %s run: %s (see %s/%s.log)"
                 % (name, e, work, name))
    cases = {}
    for case in root.iter("testcase"):
        name = case.get("name")
        if name is None:
            continue
        if case.get("classname"):
            name = case.get("classname") + "." + name
        status, msg = "pass", ""
        for kind in ("failure", "error", "skipped"):
            node = case.find(kind)
            if node is not None:
                status = "skip" if kind == "skipped" else "fail"
                msg = message(node, status)
                break
        cases[name] = (status, msg[:160])
    return cases

inside, outside, relaxed = load("inside"), load("outside"), load("relaxed")
if inside is None or outside is None:
    sys.exit("a run left no JUnit results: see %s/*.log" % work)

def only_inside(status):
    return sorted(k for k, (s, _) in inside.items()
                  if s == status and outside.get(k, ("",))[0] != status)

differing = only_inside("fail") + only_inside("skip")
missing = sorted(set(outside) - set(inside))

if mode == "files":
    print(" ".join(sorted({k.split(".")[1] for k in differing + missing})))
    sys.exit(0)

def why(case, status):
    if relaxed is None:
        return ""
    got = relaxed.get(case, ("missing",))[0]
    if got == "pass" or (status == "skip" and got != "skip"):
        return "  [noexec /tmp or hostname]"
    return "  [NOT explained: %s relaxed too]" % got

for name, cases in (("inside", inside), ("outside", outside), ("relaxed", relaxed)):
    if cases is not None:
        c = Counter(s for s, _ in cases.values())
        print("%-8s %5d cases: %5d passed, %4d failed or erred, %4d skipped"
              % (name, len(cases), c["pass"], c["fail"], c["skip"]))

for status, title in (("fail", "Failing only inside the sandbox"),
                      ("skip", "Skipped only inside the sandbox")):
    cases = only_inside(status)
    print("\n%s: %d (test case: message [cause])" % (title, len(cases)))
    for k in cases:
        print("  %s: %s%s" % (k, inside[k][1], why(k, status)))

both = sorted(k for k, (s, _) in inside.items()
              if s == "fail" and outside.get(k, ("",))[0] == "fail")
print("\nFailing in both runs (not the sandbox's doing): %d" % len(both))
for k in both:
    print("  %s: %s" % (k, outside[k][1]))
only_out = sorted(k for k, (s, _) in outside.items()
                  if s != "pass" and inside.get(k, ("",))[0] == "pass")
print("\nFailing or skipped only outside: %d" % len(only_out))
for k in only_out:
    print("  %s: %s" % (k, outside[k][1]))
# regrtest's JUnit file leaves a case whose subtests failed without a
# name, as it does the cases of a file that crashed or timed out.
print("\nRan outside, no result inside (failed subtests, or a crashed or "
      "timed-out file): %d" % len(missing))
for k in missing[:50]:
    print("  %s%s" % (k, why(k, "fail")))
PY
}

# regrtest's own per-file verdicts, from the end of each log.
file_summary() {
	local where
	for where in "$@"; do
		[[ -e $WORK/$where.rc ]] || continue
		echo "== $where (exit status $(cat "$WORK/$where.rc")): regrtest's summary"
		sed -n '/^== Tests result/,$p' "$WORK/$where.log" | grep -v '^$' | head -20
	done
}

# The test files that differed, once more inside with /tmp exec and the
# host's hostname.
run_relaxed() {
	local files
	files=$(compare files) || return
	[[ -n $files ]] || return 0
	# shellcheck disable=SC2086 # a list of test names
	write_spec relaxed ', "hostname": "'"$(hostname)"'",
  "mounts": [{ "destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
               "options": ["exec", "size=1g", "mode=1777"] }]' $files
	run_inside relaxed
}

main() {
	TESTS=("${@:-${SELECTION[@]}}")
	preflight
	make_work
	echo "tests: ${TESTS[*]}" >&2
	write_spec inside "" "${TESTS[@]}"
	SECONDS=0
	run_inside inside
	echo "inside took ${SECONDS}s" >&2
	SECONDS=0
	run_outside
	echo "outside took ${SECONDS}s" >&2
	SECONDS=0
	run_relaxed
	echo "relaxed took ${SECONDS}s" >&2
	file_summary inside outside relaxed
	echo
	compare report
	if [[ -n ${REGRTEST_KEEP:-} ]]; then
		mkdir -p "$REGRTEST_KEEP" &&
			cp "$WORK"/*.log "$WORK"/*.xml "$WORK"/*.rc "$WORK"/*.json "$REGRTEST_KEEP"/
		echo "logs kept in $REGRTEST_KEEP"
	fi
}

main "$@"

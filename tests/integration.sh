#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Integration tests: the real cdb-run, in real namespaces, with the static
# probe (tests/probe.c) as the service. Every assertion is on what the
# probe, a shell inside, or the kernel outside reports. Needs root; an
# unprivileged run skips (exit 77) and says why.
#
#   CDB_RUN=... CDB_PROBE=... tests/integration.sh [TEST...]
# shellcheck disable=SC2317 # the tests are called by name, from ALL_TESTS
set -u

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ------------------------------------------------------------------
# Shared checks
# ------------------------------------------------------------------

# The hardening checklist, as the probe saw it in the last run.
assert_core() {
	local key
	assert_rc 0
	for key in uid euid gid egid pid1_uid; do
		assert_probe "$key" 1000
	done
	assert_probe groups ""
	for key in CapInh CapPrm CapEff CapBnd CapAmb; do
		assert_probe "$key" 0000000000000000
	done
	assert_probe NoNewPrivs 1
	assert_probe Seccomp 2
	assert_probe root_write EROFS
	assert_probe root_ro 1
	assert_probe tmp_fstype tmpfs
	assert_option "tmp_options" nosuid "$(probe_value tmp_options)"
	assert_option "tmp_options" nodev "$(probe_value tmp_options)"
	assert_probe tmp_write ok
	assert_probe pid 2
	assert_probe pid1_comm cdb-init
}

# A file the service tried to write must not be on the host; one that is
# gets removed, so that a broken sandbox leaves nothing behind.
check_host_untouched() {
	if [[ -e $1 ]]; then
		rm -f "$1"
		fail "$1 was written on the host"
	fi
}

# Mount points with their options, propagation and file system: what a
# run must leave as it was. Mount and parent ids are left out.
host_mounts() {
	awk '{ $1 = ""; $2 = ""; print }' /proc/self/mountinfo | sort
}

# ------------------------------------------------------------------
# Identity and privileges
# ------------------------------------------------------------------

DEV_ENTRIES=fd,full,null,ptmx,pts,random,shm,stderr,stdin,stdout,tty,urandom,zero

# The default spec gives uid/gid 1000, no groups, all five capability sets
# empty, no_new_privs, a read-only root and a private tmpfs /tmp.
test_core_policy() {
	run_sandbox "$(probe_spec core)"
	assert_core
	assert_option "tmp_options" noexec "$(probe_value tmp_options)"
	assert_probe umask 0022
	# Started by root, without a user namespace: host uid 1000 itself.
	assert_probe uid_map "0 0 4294967295"
	assert_probe rlimit_nofile 1024/1024
	assert_probe rlimit_core 0/0
	# A minimal /dev: the safe nodes, no disk or console of the host.
	assert_probe dev "$DEV_ENTRIES"
}

# PID 1 is cdb-run's init, the probe is its child, and no host process
# is visible in /proc.
test_pid_namespace() {
	run_sandbox "$(probe_spec pidns)"
	assert_rc 0
	assert_probe pid 2
	assert_probe ppid 1
	assert_probe pid1_comm cdb-init
	assert_probe pid1_uid 1000
	assert_le proc_pids 3 "$(probe_value proc_pids)"
	# Init runs as the service's user, so only its being non-dumpable
	# keeps the service out of its memory and environment.
	assert_probe pid1_environ EACCES
}

# The service gets descriptors 0, 1 and 2 only, even when the caller
# leaves others open: a directory of the host, a pipe, a file.
test_descriptors() {
	run_sandbox "$(probe_spec fds)" 7</dev/null 8>"$SCRATCH/fd8" 9<"$PROBE"
	assert_rc 0
	assert_probe fds 0,1,2

	run_sandbox "$(probe_spec fds)" 5<"$SCRATCH" 6< <(echo leaked) 7>"$SCRATCH/fd7"
	assert_rc 0
	assert_probe fds 0,1,2
}

# --preserve-fds 2 hands over 3 and 4, the very pipe and file the caller
# opened, and nothing above them.
test_preserve_fds() {
	local spec
	spec=$(probe_spec keep)
	echo from-the-file >"$SCRATCH/kept"
	RUN_OPTS="--preserve-fds 2" run_sandbox "$spec" \
		3< <(echo from-the-pipe) 4<"$SCRATCH/kept" 5<"$SCRATCH/kept"
	assert_rc 0
	assert_probe fds 0,1,2,3,4
	assert_eq "types of descriptors 3 and 4" fifo,reg \
		"$(probe_value fd_types | cut -d, -f4,5)"

	RUN_OPTS="--preserve-fds 2" run_sandbox "$spec" "$PROBE" readfd 3 \
		3< <(echo from-the-pipe) 4<"$SCRATCH/kept"
	assert_probe readfd from-the-pipe
	RUN_OPTS="--preserve-fds 2" run_sandbox "$spec" "$PROBE" readfd 4 \
		3< <(echo from-the-pipe) 4<"$SCRATCH/kept"
	assert_probe readfd from-the-file
}

# A kept directory would open the host's tree to the service: refused
# with 125 and one line naming the descriptor.
test_preserve_fds_directory() {
	RUN_OPTS="--preserve-fds 1" run_sandbox "$(probe_spec keepdir)" 3<"$SCRATCH"
	assert_setup_error "descriptor 3 is a directory" "descriptor 3"
	assert_eq "stdout" "" "$OUT"
}

# ------------------------------------------------------------------
# Socket activation
# ------------------------------------------------------------------

# What systemd does, in two steps: python3 opens a listening TCP socket
# on loopback as descriptor 3 and writes its port to $SCRATCH/port, then
# execs activate.sh, which names itself in LISTEN_PID ($$ survives exec)
# and execs cdb-run. ACTIVATE_PID, when set, replaces the right pid.
make_activation() {
	cat >"$SCRATCH/listen.py" <<'PY'
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.execv(sys.argv[2], sys.argv[2:])
PY
	cat >"$SCRATCH/activate.sh" <<'SH'
#!/bin/bash
export LISTEN_PID=${ACTIVATE_PID:-$$} LISTEN_FDS=1 LISTEN_FDNAMES=web
exec "$@"
SH
	chmod 0755 "$SCRATCH/activate.sh"
	rm -f "$SCRATCH/port"
	ACTIVATE=(/usr/bin/python3 "$SCRATCH/listen.py" "$SCRATCH/port" "$SCRATCH/activate.sh")
}

# The service finds the socket as descriptor 3 and the variables rewritten
# for itself: LISTEN_PID is its own pid, 2.
test_socket_activation() {
	[[ -x /usr/bin/python3 ]] || { skip "/usr/bin/python3 is not installed"; return; }
	make_activation
	RUN_AS="${ACTIVATE[*]}" run_sandbox "$(probe_spec activation)"
	assert_rc 0
	assert_probe fds 0,1,2,3
	assert_eq "type of descriptor 3" sock "$(probe_value fd_types | cut -d, -f4)"
	assert_probe pid 2
	assert_probe env.LISTEN_FDS 1
	assert_probe env.LISTEN_PID 2
	assert_probe env.LISTEN_FDNAMES web
}

# A Python service accepts a connection on the handed-over socket; the
# host connects on loopback and reads its greeting.
test_socket_activation_python() {
	[[ -x /usr/bin/python3 ]] || { skip "/usr/bin/python3 is not installed"; return; }
	local spec pid fd line=""
	make_activation
	cat >"$SCRATCH/service.py" <<'PY'
import os, socket
s = socket.socket(fileno=3)
s.settimeout(20)
c, _ = s.accept()
c.sendall(("hello %s %s %d\n" % (os.environ["LISTEN_FDS"],
                                 os.environ["LISTEN_PID"], os.getpid())).encode())
c.close()
print("served=1")
PY
	chmod 0644 "$SCRATCH/service.py"
	spec=$(write_spec pyservice / "$(json_args /usr/bin/python3 "$SCRATCH/service.py")")
	rm -f "$SCRATCH/rc"
	(RUN_AS="${ACTIVATE[*]}" run_sandbox "$spec" && echo "$RC" >"$SCRATCH/rc") &
	pid=$!
	if wait_for_file "$SCRATCH/port" &&
		exec {fd}<>"/dev/tcp/127.0.0.1/$(cat "$SCRATCH/port")"; then
		read -r -t 10 line <&"$fd"
		exec {fd}<&-
	else
		fail "could not connect to the activated socket"
	fi
	wait_bounded "$pid"
	RC=$(cat "$SCRATCH/rc" 2>/dev/null)
	ERR=$(cat "$SCRATCH/err")
	LAST_CMD="${ACTIVATE[*]} $CDB_RUN --spec $spec"
	assert_rc 0
	assert_eq "greeting read on the host" "hello 1 2 2" "$line"
	assert_probe served 1
}

# LISTEN_PID naming another process: the variables were inherited, not
# meant for cdb-run; the socket stays out and so do the variables.
test_socket_activation_other_pid() {
	[[ -x /usr/bin/python3 ]] || { skip "/usr/bin/python3 is not installed"; return; }
	make_activation
	ACTIVATE_PID=1 RUN_AS="${ACTIVATE[*]}" run_sandbox "$(probe_spec notmine)"
	assert_rc 0
	assert_probe fds 0,1,2
	if grep -q '^env\.LISTEN_' "$SCRATCH/out"; then
		fail "LISTEN_* reached the service: $(grep '^env\.LISTEN_' "$SCRATCH/out")"
	fi
	return 0
}

# ------------------------------------------------------------------
# Host name, environment, limits
# ------------------------------------------------------------------

# The spec's hostname is set; without one the sandbox is "sandbox".
test_hostname() {
	run_sandbox "$(EXTRA=', "hostname": "probe-host"' probe_spec host)"
	assert_rc 0
	assert_probe hostname probe-host

	run_sandbox "$(probe_spec nohost)"
	assert_probe hostname sandbox
}

# The sandbox's /etc/hosts names its hostname on loopback, read-only, so
# that looking up the own name needs no DNS; the host's file is untouched.
test_hosts_file() {
	local before spec
	before=$(cat /etc/hosts)
	spec=$(EXTRA=', "hostname": "probe-host"' write_spec hosts / \
		"$(json_args /bin/sh -c 'cat /etc/hosts; echo x >>/etc/hosts && echo writable')")
	run_sandbox "$spec"
	assert_ne "exit status of a write to /etc/hosts" 0 "$RC"
	assert_contains "/etc/hosts" "127.0.0.1	localhost probe-host" "$OUT"
	assert_contains "/etc/hosts" "::1	localhost ip6-localhost ip6-loopback probe-host" "$OUT"
	[[ $OUT != *writable* ]] || fail "/etc/hosts is writable inside"
	assert_eq "the host's /etc/hosts" "$before" "$(cat /etc/hosts)"
}

# The caller's environment stays outside; the policy's Python variables,
# PATH and HOME, and the spec's own entries are inside.
test_environment() {
	local spec
	spec=$(PROC_EXTRA=', "env": ["CDB_SPEC_VAR=from-spec"]' probe_spec env)
	export CDB_SECRET=leak
	run_sandbox "$spec"
	unset CDB_SECRET
	assert_rc 0
	has_probe_key env.CDB_SECRET && fail "env.CDB_SECRET: the caller's variable leaked in"
	assert_probe env.PYTHONDONTWRITEBYTECODE 1
	assert_probe env.PYTHONUNBUFFERED 1
	assert_probe env.CDB_SPEC_VAR from-spec
	has_probe_key env.PATH || fail "env.PATH: not set"
	has_probe_key env.HOME || fail "env.HOME: not set"
}

# Not one of the caller's variables gets in, whatever its name: loader
# and interpreter hooks, a socket path, activation without a pid. HOME
# and PATH are the policy's, not the caller's marked ones.
test_environment_no_leak() {
	local spec name
	local -a vars=(LD_PRELOAD= LD_LIBRARY_PATH=/nonexistent-cdb-leak LD_AUDIT=
		PYTHONPATH=/nonexistent-cdb-leak PYTHONSTARTUP=/nonexistent-cdb-leak
		BASH_ENV=/nonexistent-cdb-leak SSH_AUTH_SOCK=/nonexistent-cdb-leak
		LISTEN_FDS=1 NOTIFY_SOCKET=/nonexistent-cdb-leak CDB_LEAK=cdb-leak
		HOME=/nonexistent-cdb-leak "PATH=$PATH:/nonexistent-cdb-leak")
	spec=$(probe_spec noleak)
	RUN_AS="env ${vars[*]}" run_sandbox "$spec"
	assert_rc 0
	for name in "${vars[@]%%=*}"; do
		[[ $name == HOME || $name == PATH ]] && continue
		has_probe_key "env.$name" && fail "env.$name: the caller's variable leaked in"
	done
	assert_eq "lines with a caller's value" 0 "$(grep -c cdb-leak "$SCRATCH/out")"
	assert_probe env.HOME /tmp
	assert_probe env.PATH /usr/local/bin:/usr/bin:/bin
}

# process.user.umask and process.rlimits reach the service as written;
# the core limit keeps its default, 0.
test_umask_rlimits() {
	run_sandbox "$(PROC_EXTRA=', "user": { "uid": 1000, "gid": 1000, "umask": 63 },
	  "rlimits": [{ "type": "RLIMIT_NOFILE", "soft": 64, "hard": 128 }]' probe_spec limits)"
	assert_rc 0
	assert_probe umask 0077
	assert_probe rlimit_nofile 64/128
	assert_probe rlimit_core 0/0
}

# ------------------------------------------------------------------
# Exit status
# ------------------------------------------------------------------

# The service's status and deaths by signal pass through as docker does.
test_exit_status() {
	local spec
	spec=$(probe_spec status)
	run_sandbox "$spec" "$PROBE" exit 3
	assert_rc 3
	run_sandbox "$spec" "$PROBE" exit 0
	assert_rc 0
	run_sandbox "$spec" "$PROBE" kill 9
	assert_rc 137
	run_sandbox "$spec" "$PROBE" kill 15
	assert_rc 143
	run_sandbox "$spec" "$PROBE" kill 11
	assert_rc 139
	run_sandbox "$spec" "$PROBE" exit 255
	assert_rc 255
	# The service's own 125 is not mistaken for a launcher failure.
	run_sandbox "$spec" "$PROBE" exit 125
	assert_rc 125
	assert_eq "stderr of a service exiting 125" "" "$ERR"
}

# A missing program is 127, a file that cannot be executed 126 (for want
# of permission or of a format the kernel knows); both say why on one
# line.
test_exec_failures() {
	local spec
	spec=$(probe_spec execfail)
	run_sandbox "$spec" "$SCRATCH/no-such-program"
	assert_rc 127
	assert_eq "stderr lines" 1 "$(line_count "$ERR")"
	assert_eq "stderr start" "cdb-run: exec: " "${ERR:0:15}"

	printf '#!/bin/sh\nexit 0\n' >"$SCRATCH/not-executable"
	chmod 0644 "$SCRATCH/not-executable"
	run_sandbox "$spec" "$SCRATCH/not-executable"
	assert_rc 126
	assert_eq "stderr lines" 1 "$(line_count "$ERR")"
	assert_eq "stderr start" "cdb-run: exec: " "${ERR:0:15}"

	# Executable, but no format the kernel knows: not run through /bin/sh.
	printf 'not a program\n' >"$SCRATCH/no-format"
	chmod 0755 "$SCRATCH/no-format"
	run_sandbox "$spec" "$SCRATCH/no-format"
	assert_rc 126
	assert_contains "stderr" "Exec format error" "$ERR"

	# A name is looked up in the spec's PATH.
	run_sandbox "$spec" true
	assert_rc 0
}

# ------------------------------------------------------------------
# Signals and processes
# ------------------------------------------------------------------

# A signal sent to cdb-run reaches the service: its handler prints the
# name and exits 42, and cdb-run exits with that status.
forward_one() {
	local sig=$1 spec=$2 pid
	local out="$SCRATCH/sig-$sig.out" err="$SCRATCH/sig-$sig.err"
	# A file of its own per signal: a "ready" left by the previous run
	# must not let the signal go out before this sandbox exists.
	rm -f "$out" "$err"
	"$CDB_RUN" --spec "$spec" -- "$PROBE" sleep 20 \
		>"$out" 2>"$err" </dev/null &
	pid=$!
	LAST_CMD="$CDB_RUN --spec $spec -- $PROBE sleep 20 (then kill -$sig)"
	if ! wait_for_line "$out" ready; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		fail "SIG$sig: the probe never said ready ($(head -c 200 "$err"))"
		return
	fi
	kill -s "$sig" "$pid"
	wait_bounded "$pid"
	kill_leftovers "$PROBE sleep 20"
	ERR=$(cat "$err")
	assert_eq "SIG$sig: exit status" 42 "$RC"
	assert_contains "SIG$sig: stdout" "signal=$sig" "$(cat "$out")"
}

test_signal_forwarding() {
	local spec sig
	spec=$(probe_spec signals)
	for sig in TERM INT HUP USR1; do
		forward_one "$sig" "$spec"
	done
}

# A daemonised grandchild dies with the sandbox: nothing runs on after
# cdb-run returns.
test_orphan_cleanup() {
	run_sandbox "$(probe_spec orphan)" "$PROBE" orphan
	assert_rc 0
	assert_probe orphan_alive 1
	if ! wait_gone "$PROBE orphan"; then
		fail "orphan still running after cdb-run returned: pid $(pids_matching "$PROBE orphan")"
		kill_leftovers "$PROBE orphan"
	fi
	return 0
}

# Killing cdb-run itself takes the sandbox with it: the service does not
# run on unsupervised.
test_launcher_killed() {
	local spec pid
	spec=$(probe_spec killed)
	"$CDB_RUN" --spec "$spec" -- "$PROBE" sleep 21 \
		>"$SCRATCH/kill.out" 2>"$SCRATCH/kill.err" </dev/null &
	pid=$!
	LAST_CMD="$CDB_RUN --spec $spec -- $PROBE sleep 21 (then kill -KILL)"
	wait_for_line "$SCRATCH/kill.out" ready ||
		fail "the probe never said ready ($(head -c 200 "$SCRATCH/kill.err"))"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	if ! wait_gone "$PROBE sleep 21"; then
		fail "the service outlived cdb-run: pid $(pids_matching "$PROBE sleep 21")"
		kill_leftovers "$PROBE sleep 21"
	fi
	return 0
}

# PID 1 reaps an orphan that exits: it does not stay a zombie.
test_orphan_reaped() {
	run_sandbox "$(probe_spec reap)" "$PROBE" reap
	assert_rc 0
	assert_probe orphan_state reaped
}

# ------------------------------------------------------------------
# Host state
# ------------------------------------------------------------------

# Neither a run nor a failing run changes the caller's mount table.
test_host_mounts_unchanged() {
	local before after
	before=$(host_mounts)
	run_sandbox "$(probe_spec mounts)"
	assert_rc 0
	after=$(host_mounts)
	assert_eq "mount table after a run" "$before" "$after"

	# Fails half way, after the root and /tmp are mounted: the bind
	# source does not exist.
	run_sandbox "$(EXTRA=', "mounts": [{ "destination": "/usr", "type": "bind",
	  "source": "'"$SCRATCH"'/missing", "options": ["bind", "ro"] }]' probe_spec badmount)"
	assert_setup_error "missing bind source" "$SCRATCH/missing"
	after=$(host_mounts)
	assert_eq "mount table after a failing run" "$before" "$after"
}

# ------------------------------------------------------------------
# The policy checklist, as an operator would check it by hand
# ------------------------------------------------------------------

# whoami is not root (uid 1000 may have no name on the host: then the
# number stands in).
test_checklist_whoami() {
	run_sandbox "$(probe_spec sh)" /bin/sh -c 'id -u; id -un 2>/dev/null || id -u'
	assert_rc 0
	assert_eq "id -u" 1000 "$(printf '%s\n' "$OUT" | sed -n 1p)"
	local name
	name=$(printf '%s\n' "$OUT" | sed -n 2p)
	assert_ne "id -un" root "$name"
	assert_ne "id -un" "" "$name"
}

# The bounding set, read by a shell inside, is empty.
test_checklist_capbnd() {
	run_sandbox "$(probe_spec sh)" /bin/sh -c 'grep CapBnd /proc/self/status'
	assert_rc 0
	assert_eq "CapBnd from a shell" 0000000000000000 "$(awk '{ print $2 }' <<<"$OUT")"
}

# Writing / fails with "Read-only file system", and nothing appears on
# the host.
test_checklist_write_root() {
	[[ -e /test ]] && { skip "/test already exists on this host"; return; }
	run_sandbox "$(probe_spec sh)" /bin/sh -c 'touch /test'
	assert_ne "exit status of touch /test" 0 "$RC"
	assert_contains "stderr of touch /test" "Read-only file system" "$ERR"
	check_host_untouched /test
	return 0
}

# ------------------------------------------------------------------
# Refused specs
# ------------------------------------------------------------------

# Each bad spec stops the start with 125 and one line naming the problem.
test_bad_specs() {
	local f=$SCRATCH/bad.json

	run_sandbox "$SCRATCH/no-such-spec.json"
	assert_setup_error "missing file" "no-such-spec.json"

	printf '{ "process": { "args": [' >"$f"
	run_sandbox "$f"
	assert_setup_error "malformed JSON"

	EXTRA=', "bogus": 1' write_spec bad / "$(json_args "$PROBE")" >/dev/null
	run_sandbox "$f"
	assert_setup_error "unknown key" '$.bogus'

	PROC_EXTRA=', "bogus": 1' write_spec bad / "$(json_args "$PROBE")" >/dev/null
	run_sandbox "$f"
	assert_setup_error "unknown nested key" '$.process.bogus'

	PROC_EXTRA=', "user": { "uid": 0, "gid": 0 }' \
		write_spec bad / "$(json_args "$PROBE")" >/dev/null
	run_sandbox "$f"
	assert_setup_error "uid 0" '$.process.user.uid'

	printf '{ "process": { "args": ["%s"] },\n  "root": { "path": "/", "readonly": false } }\n' \
		"$PROBE" >"$f"
	run_sandbox "$f"
	assert_setup_error "writable root" '$.root.readonly'
}

# dry_run SPEC OUT: cdb-run --dry-run, bounded; the plan goes to OUT.
dry_run() {
	LAST_CMD="$CDB_RUN --dry-run --spec $1"
	timeout -k 5 10 "$CDB_RUN" --dry-run --spec "$1" >"$2" 2>"$SCRATCH/err"
	RC=$?
	ERR=$(cat "$SCRATCH/err")
}

# --dry-run prints the plan as JSON and runs nothing (the probe would
# print "ready" and sleep past the timeout); the plan read back as a spec
# gives the same plan.
test_dry_run() {
	command -v python3 >/dev/null || { skip "python3 is not installed"; return; }
	local plan=$SCRATCH/plan.json args
	dry_run "$(probe_spec dry sleep 20)" "$plan"
	assert_rc 0
	args=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["process"]["args"])' \
		<"$plan" 2>&1)
	assert_eq "process.args in the plan" "['$PROBE', 'sleep', '20']" "$args"

	dry_run "$plan" "$SCRATCH/plan2.json"
	assert_rc 0
	assert_eq "the plan of the plan" "$(cat "$plan")" "$(cat "$SCRATCH/plan2.json")"
}

# ------------------------------------------------------------------
# Roots, mounts, network
# ------------------------------------------------------------------

# A root with a static busybox and the probe, nothing else.
make_rootfs() {
	local root=$SCRATCH/rootfs
	mkdir -p "$root"/{bin,proc,dev,tmp} || return 1
	cp /bin/busybox "$root/bin/busybox" || return 1
	ln -s busybox "$root/bin/sh"
	install -m 0755 "$CDB_PROBE" "$root/probe"
	chmod -R a+rX "$root"
}

# A custom root, named by an absolute path and by one relative to the
# spec file, gets the same hardening as the host's.
test_custom_root() {
	if ! [[ -x /bin/busybox ]] || ! file_is_static /bin/busybox; then
		skip "no static /bin/busybox (install busybox-static)"
		return
	fi
	make_rootfs || { fail "could not build the root"; return; }

	run_sandbox "$(write_spec rootabs "$SCRATCH/rootfs" '["/probe"]')"
	assert_core

	run_sandbox "$(write_spec rootrel rootfs '["/probe"]')"
	assert_core

	# busybox's own shell; the file name is one no host has.
	local new=/cdb-probe-root-test
	[[ -e $new ]] && { skip "$new already exists on this host"; return; }
	run_sandbox "$(write_spec rootsh rootfs '["/bin/sh", "-c", "touch '"$new"'"]')"
	assert_ne "exit status of touch $new" 0 "$RC"
	assert_contains "stderr of touch $new" "Read-only file system" "$ERR"
	check_host_untouched "$SCRATCH/rootfs$new"
	check_host_untouched "$new"
	return 0
}

file_is_static() {
	! ldd "$1" >/dev/null 2>&1
}

# The first directory of the host's root that can serve as a mount point.
mount_point() {
	local d
	for d in /srv /mnt /opt; do
		[[ -d $d && ! -L $d ]] && { echo "$d"; return 0; }
	done
	return 1
}

bind_spec() {
	local name=$1 dest=$2 mode=$3
	EXTRA=', "mounts": [{ "destination": "'"$dest"'", "type": "bind",
    "source": "'"$SCRATCH/data"'", "options": ["bind", "'"$mode"'"] }]' \
		probe_spec "$name"
}

# A read-only bind shows the host's files and refuses writes; an "rw" one
# lets the service write to the host directory.
test_bind_mount() {
	local dest spec new=cdb-probe-bind-test
	dest=$(mount_point) || { skip "none of /srv, /mnt, /opt exists"; return; }
	[[ -e $dest/$new ]] && { skip "$dest/$new already exists on this host"; return; }
	mkdir -p "$SCRATCH/data"
	echo hello-from-host >"$SCRATCH/data/hello"
	chown 1000:1000 "$SCRATCH/data"
	chmod 0755 "$SCRATCH/data"

	spec=$(bind_spec bindro "$dest" ro)
	run_sandbox "$spec" "$PROBE" read "$dest/hello"
	assert_rc 0
	assert_probe read hello-from-host
	run_sandbox "$spec" "$PROBE" touch "$dest/$new"
	assert_probe touch EROFS
	check_host_untouched "$dest/$new"
	[[ -e $SCRATCH/data/$new ]] && fail "a read-only bind was written to"

	spec=$(bind_spec bindrw "$dest" rw)
	run_sandbox "$spec" "$PROBE" touch "$dest/$new"
	assert_rc 0
	assert_probe touch ok
	check_host_untouched "$dest/$new"
	[[ -e $SCRATCH/data/$new ]] ||
		fail "the file written through the rw bind is not in its source"
	return 0
}

# A network namespace has loopback only, and it is up.
test_network_namespace() {
	run_sandbox "$(EXTRA=', "linux": { "namespaces": [{ "type": "network" }] }' probe_spec net)"
	assert_rc 0
	assert_probe net_ifaces lo
	assert_probe net_up lo
}

# ------------------------------------------------------------------
# An unprivileged caller (set up by lib.sh's setup_unprivileged)
# ------------------------------------------------------------------

# The same measures hold when cdb-run itself has no privileges and makes
# a user namespace: uid 1000 inside maps to the caller.
test_unprivileged() {
	local spec
	setup_unprivileged || { skip "$UNPRIV_WHY"; return; }
	spec=$(EXTRA=$NO_LIMITS probe_spec unpriv)
	run_unprivileged "$spec"
	assert_core
	# Inside a user namespace where uid 1000 is the caller, and only it.
	assert_probe uid_map "1000 $(id -u "$TEST_USER") 1"
	assert_probe gid_map "1000 $(id -g "$TEST_USER") 1"
}

# Init is ready before the service runs its first instruction: named
# cdb-init and not dumpable (else the service, the same user, could read
# or ptrace it). A race shows only now and then, so 4 x 100 sandboxes
# start at once, unprivileged when possible (where dumpability is not
# already cleared by a uid change). Bounded by a 60 s deadline.
test_init_ready_first() {
	local spec run=$CDB_RUN w i bad total deadline=$((SECONDS + 60))
	local prefix=() extra=""
	if setup_unprivileged; then
		prefix=("${AS[@]}")
		run=$UNPRIV_RUN
		extra=$NO_LIMITS
	fi
	spec=$(EXTRA=$extra probe_spec pid1 pid1)
	LAST_CMD="${prefix[*]} $run --spec $spec (4 x 100 at once)"
	for w in 1 2 3 4; do
		for ((i = 0; i < 100 && SECONDS < deadline; i++)); do
			timeout -k 2 10 "${prefix[@]}" "$run" --spec "$spec" 2>&1 </dev/null
		done >"$SCRATCH/pid1.$w" &
	done
	wait
	total=$(cat "$SCRATCH"/pid1.* | grep -c '^pid1_comm=')
	bad=$(cat "$SCRATCH"/pid1.* | grep -E '^pid1_(comm|environ)=' |
		grep -v -x -e pid1_comm=cdb-init -e pid1_environ=EACCES | sort | uniq -c |
		tr -s ' \n' ' ')
	assert_eq "runs that reported" 400 "$total"
	assert_eq "PID 1 not ready when the service started (count, value)" "" "$bad"
}

# ------------------------------------------------------------------

ALL_TESTS=(
	test_core_policy
	test_hosts_file
	test_pid_namespace
	test_descriptors
	test_preserve_fds
	test_preserve_fds_directory
	test_socket_activation
	test_socket_activation_python
	test_socket_activation_other_pid
	test_hostname
	test_environment
	test_environment_no_leak
	test_umask_rlimits
	test_exit_status
	test_exec_failures
	test_signal_forwarding
	test_orphan_cleanup
	test_launcher_killed
	test_orphan_reaped
	test_host_mounts_unchanged
	test_checklist_whoami
	test_checklist_capbnd
	test_checklist_write_root
	test_bad_specs
	test_dry_run
	test_custom_root
	test_bind_mount
	test_network_namespace
	test_unprivileged
	test_init_ready_first
)

run_suite "$@"

#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The built-in seccomp filter, seen from inside the sandbox: the probe's
# "syscalls" mode makes each call the filter must refuse, with arguments
# that do no harm even where nothing stops them, and reports what the
# kernel answered (sys.NAME=EPERM, ok, ...). Most arguments are chosen so
# that the kernel alone would answer something else than the filter does
# (EFAULT, EINVAL, EBADF, ok): then a missing rule fails its test. The
# probe's comments give the kernel's own answers. Needs root, like
# integration.sh; an unprivileged run skips (exit 77).
#
#   CDB_RUN=... CDB_PROBE=... CDB_SRCDIR=... tests/seccomp.sh [TEST...]
# shellcheck disable=SC2317 # the tests are called by name, from ALL_TESTS
set -u

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ------------------------------------------------------------------
# What the probe must report
# ------------------------------------------------------------------

# Mounts, namespaces, the keyring, other processes' memory, kernel
# surfaces, the kernel itself, handles and the clock: EPERM, the answer of
# a call the caller may not make.
DENIED=(
	mount umount2 pivot_root chroot fsopen fsconfig fsmount fspick
	move_mount open_tree mount_setattr
	unshare setns
	keyctl add_key request_key
	ptrace ptrace_attach process_vm_readv process_vm_writev kcmp pidfd_getfd
	bpf perf_event_open userfaultfd io_uring_setup io_uring_enter
	io_uring_register lookup_dcookie
	kexec_load kexec_file_load init_module finit_module delete_module reboot
	swapon swapoff syslog acct iopl ioperm uselib vhangup nfsservctl
	quotactl quotactl_fd
	open_by_handle_at name_to_handle_at
	settimeofday clock_settime adjtimex clock_adjtime
)

# clone asking for any new namespace.
CLONE_DENIED=(clone_newuser clone_newns clone_newnet clone_newpid
	clone_newipc clone_newuts clone_newcgroup)

# Personalities other than the default or a query; the high bits of the
# argument do not hide PER_LINUX32.
PERSONALITY_DENIED=(personality_linux32 personality_no_aslr personality_high)

# Pushing input into a terminal, also with the high bits of the request
# set, which the kernel drops.
IOCTL_DENIED=(ioctl_tiocsti ioctl_tiocsti_high ioctl_tioclinux ioctl_tioclinux_high)

# Calls through the i386 and x32 ABIs.
ABI_DENIED=(i386_getpid i386_mount x32_getpid)

# syscalls_run NAME [RUNNER]: the probe's syscalls mode, in a sandbox of
# the spec NAME; RUNNER is run_sandbox (the default) or run_unprivileged.
# EXTRA adds to the spec, as for write_spec. Fails (once, not for every
# line the probe did not print) when the run did not succeed.
syscalls_run() {
	local name=$1 runner=${2:-run_sandbox} spec
	spec=$(probe_spec "$name" syscalls)
	"$runner" "$spec"
	assert_rc 0
}

# assert_all EXPECTED KEY...: the probe reported sys.KEY=EXPECTED for each.
assert_all() {
	local expected=$1 key
	shift
	for key in "$@"; do
		assert_probe "sys.$key" "$expected"
	done
}

# ------------------------------------------------------------------
# The default filter
# ------------------------------------------------------------------

# The service runs in filter mode (2) under at least the two built-in
# programs.
test_filter_mode() {
	syscalls_run mode || return 0
	assert_probe Seccomp 2
	local n
	n=$(probe_value Seccomp_filters)
	if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 2)); then
		fail "Seccomp_filters: expected 2 or more, found '$n'"
	fi
	return 0
}

# Every call of an escape fails with EPERM.
test_denied_calls() {
	syscalls_run denied || return 0
	assert_all EPERM "${DENIED[@]}"
}

# Each namespace flag of clone is refused on its own; clone3, whose flags
# the filter cannot read, looks like a call this kernel lacks (ENOSYS) so
# that the C library falls back to clone; a plain fork works.
test_clone() {
	syscalls_run clone || return 0
	assert_all EPERM "${CLONE_DENIED[@]}"
	assert_probe sys.clone3 ENOSYS
	assert_probe sys.fork ok
}

# personality: only the default and the query pass; the rest would turn
# off address space randomisation or change the ABI.
test_personality() {
	syscalls_run personality || return 0
	assert_all EPERM "${PERSONALITY_DENIED[@]}"
	assert_probe sys.personality_query ok
	assert_probe sys.personality_linux ok
}

# TIOCSTI and TIOCLINUX are refused whatever descriptor 0 is (here
# /dev/null, where the kernel alone would say ENOTTY); other ioctls pass
# through to the kernel, which answers ENOTTY for /dev/null.
test_terminal_ioctls() {
	syscalls_run ioctls || return 0
	assert_all EPERM "${IOCTL_DENIED[@]}"
	assert_probe sys.ioctl_tcgets ENOTTY
}

# On x86_64, the i386 entry (int 0x80) and x32 numbers are refused: a
# rule written for the native numbers cannot be bypassed through them.
test_other_abis() {
	[[ $(uname -m) == x86_64 ]] || { skip "x86_64 only ($(uname -m))"; return; }
	syscalls_run abis || return 0
	if [[ $(probe_value sys.i386_getpid) == SIG* ]]; then
		skip "int 0x80 faults here: the kernel has no IA32 emulation"
		return
	fi
	assert_all EPERM "${ABI_DENIED[@]}"
}

# Numbers the filter does not know fail with ENOSYS, as on an older
# kernel; an ordinary call goes through.
test_unknown_calls() {
	syscalls_run unknown || return 0
	assert_probe sys.nr_500 ENOSYS
	assert_probe sys.nr_1000 ENOSYS
	assert_probe sys.getpid ok
}

# The names filter-rules.c lists (cdb_seccomp_denied), read from the
# source: each has a probe check and it answers EPERM. A name added to the
# filter without a check here fails this test.
denied_names() {
	sed -n '/^const char \*const cdb_seccomp_denied\[\] = {/,/^};/p' \
		"$CDB_SRCDIR/src/filter-rules.c" | sed -n 's/^ *"\([a-z0-9_]*\)",.*/\1/p'
}

test_denied_list_covered() {
	local names name
	names=$(denied_names)
	[[ -n $names ]] || { fail "no names read from $CDB_SRCDIR/src/filter-rules.c"; return; }
	syscalls_run covered || return 0
	for name in $names; do
		assert_probe "sys.$name" EPERM
	done
}

# The same answers when cdb-run runs unprivileged, in a user namespace,
# where the service's kernel would otherwise let it do more.
test_filter_unprivileged() {
	setup_unprivileged || { skip "$UNPRIV_WHY"; return; }
	EXTRA=$NO_LIMITS syscalls_run unpriv run_unprivileged || return 0
	assert_probe Seccomp 2
	assert_all EPERM "${DENIED[@]}" "${CLONE_DENIED[@]}" \
		"${PERSONALITY_DENIED[@]}" "${IOCTL_DENIED[@]}"
	assert_probe sys.clone3 ENOSYS
	assert_probe sys.fork ok
}

# ------------------------------------------------------------------
# A terminal
# ------------------------------------------------------------------

# cdb-run runs on a real terminal (script(1) gives it a pty): the service
# gets /dev/null for stdin and a pipe, which cdb-run copies to the
# terminal, on stdout, so it can neither read what is typed there nor
# reconfigure the terminal (its output still arrives, or the probe's
# report would be missing); it has no controlling terminal
# (/dev/tty: ENXIO, tty_nr 0), its session is the sandbox's own (sid 1,
# the sandbox's init; the caller's session, led outside the pid namespace,
# would read 0), and TIOCSTI is refused on any descriptor.
test_tiocsti_terminal() {
	command -v script >/dev/null || { skip "script (util-linux) is missing"; return; }
	local spec
	spec=$(probe_spec tty tty)
	LAST_CMD="script -qec '$CDB_RUN --spec $spec' /dev/null"
	timeout -k 5 "$RUN_TIMEOUT" script -qec "$CDB_RUN --spec $spec" /dev/null \
		</dev/null 2>"$SCRATCH/err" | tr -d '\r' >"$SCRATCH/out"
	RC=${PIPESTATUS[0]}
	ERR=$(cat "$SCRATCH/err")
	assert_rc 0 || return 0
	assert_probe isatty0 0
	assert_probe isatty1 0
	assert_probe read1 EBADF
	assert_probe tty_nr 0
	assert_probe dev_tty ENXIO
	assert_probe pid 2
	assert_probe sid 1
	assert_probe sys.ioctl_tiocsti EPERM
	assert_probe sys.ioctl_tiocsti_high EPERM
	assert_probe sys.ioctl_tcgets ENOTTY
	assert_probe sys.ioctl_tiocsti_fd1 EPERM
	assert_probe sys.ioctl_tcgets_fd1 ENOTTY
}

# ------------------------------------------------------------------
# A profile from the spec, stacked on the built-in filter
# ------------------------------------------------------------------

# profile_spec NAME PROFILE_JSON: a probe spec with linux.seccomp.
profile_spec() {
	EXTRA=', "linux": { "seccomp": '"$2"' }' probe_spec "$1" syscalls
}

# Skips (and returns 1) when this cdb-run does not take linux.seccomp.
takes_profiles() {
	run_sandbox "$(profile_spec probe '{ "defaultAction": "SCMP_ACT_ALLOW" }')"
	if [[ $RC == 125 && $ERR == *seccomp* ]]; then
		skip "this cdb-run does not take linux.seccomp: $ERR"
		return 1
	fi
}

# A profile that allows everything loosens nothing: the filters stack and
# the kernel takes the strictest answer.
test_profile_cannot_weaken() {
	takes_profiles || return 0
	run_sandbox "$(profile_spec allowall '{ "defaultAction": "SCMP_ACT_ALLOW" }')"
	assert_rc 0 || return 0
	assert_probe Seccomp 2
	assert_all EPERM "${DENIED[@]}" "${CLONE_DENIED[@]}" \
		"${PERSONALITY_DENIED[@]}" "${IOCTL_DENIED[@]}"
	assert_probe sys.clone3 ENOSYS
	assert_probe sys.fork ok
}

# A profile that allows a denied call by name does not let it through.
test_profile_allow_rule() {
	takes_profiles || return 0
	run_sandbox "$(profile_spec allowmount '{ "defaultAction": "SCMP_ACT_ALLOW",
	  "syscalls": [{ "names": ["mount", "unshare", "keyctl", "bpf"],
	                 "action": "SCMP_ACT_ALLOW" }] }')"
	assert_rc 0 || return 0
	assert_all EPERM mount unshare keyctl bpf
}

# Docker's and Podman's default profile beside the built-in filter: every
# call the built-in filter refuses is still refused, with EPERM or with
# the profile's own ENOSYS (the profile is installed last, just before
# exec, and the kernel takes the errno of the filter installed last), and
# the ordinary calls still work.
test_profile_docker_default() {
	local profile=/usr/share/containers/seccomp.json
	[[ -r $profile ]] || { skip "$profile is missing (containers-common)"; return; }
	takes_profiles || return 0
	run_sandbox "$(profile_spec docker "$(cat "$profile")")"
	assert_rc 0 || return 0
	local key value
	for key in "${DENIED[@]}" "${CLONE_DENIED[@]}" "${PERSONALITY_DENIED[@]}" \
		"${IOCTL_DENIED[@]}"; do
		value=$(probe_value "sys.$key")
		[[ $value == EPERM || $value == ENOSYS ]] ||
			fail "sys.$key: expected EPERM or ENOSYS, found '$value'"
	done
	assert_probe sys.clone3 ENOSYS
	assert_probe sys.nr_1000 ENOSYS
	assert_probe sys.fork ok
	assert_probe sys.getpid ok
	assert_probe sys.personality_query ok
}

# ------------------------------------------------------------------

# A profile applies to the service alone, never to cdb-run's own work: one
# that refuses close_range, wait4 and rt_sigtimedwait neither leaks the
# caller's descriptors (a directory among them) nor hangs the sandbox's
# init or cdb-run.
test_profile_spares_own_work() {
	takes_profiles || return 0
	local spec
	spec=$(EXTRA=', "linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW",
	  "syscalls": [{ "names": ["close_range", "wait4", "rt_sigtimedwait"],
	                 "action": "SCMP_ACT_ERRNO", "errnoRet": 38 }] } }' \
		probe_spec own_work)
	exec 7</
	run_sandbox "$spec"
	exec 7<&-
	assert_rc 0
	assert_probe fds 0,1,2
}

ALL_TESTS=(
	test_filter_mode
	test_denied_calls
	test_clone
	test_personality
	test_terminal_ioctls
	test_other_abis
	test_unknown_calls
	test_denied_list_covered
	test_filter_unprivileged
	test_tiocsti_terminal
	test_profile_cannot_weaken
	test_profile_allow_rule
	test_profile_docker_default
	test_profile_spares_own_work
)

run_suite "$@"

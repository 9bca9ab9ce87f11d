#!/bin/sh
# Builds the spec fuzz target with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs it for SECONDS (default 60), seeded
# with the example specs and Podman's seccomp profile when present.
# Not part of make check. Needs clang (Debian's clang-14).
#
#   tests/fuzz/run.sh [SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-60}
work=$(mktemp -d /tmp/cdb-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

libs="jansson libcap-ng mount libseccomp"
# shellcheck disable=SC2046,SC2086
clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
  -I"$top/src" $(pkg-config --cflags $libs) \
  "$here/fuzz-spec.c" "$top/src/spec.c" "$top/src/profile.c" \
  "$top/src/plan.c" "$top/src/policy.c" "$top/src/error.c" \
  "$top/src/json-path.c" "$top/src/strv.c" \
  $(pkg-config --libs $libs) -o "$work/fuzz-spec"

mkdir "$work/corpus"
sed "s|@examplesdir@|/srv|" "$top/contrib/examples/execution.json.in" \
  >"$work/corpus/execution.json"
profile=/usr/share/containers/seccomp.json
if [ -r "$profile" ]; then
  python3 -c 'import json, sys
print(json.dumps({"process": {"args": ["/bin/true"]}, "root": {"path": "/"},
                  "linux": {"seccomp": json.load(open(sys.argv[1]))}}))' \
    "$profile" >"$work/corpus/podman.json"
fi

"$work/fuzz-spec" -max_total_time="$seconds" -max_len=65536 "$work/corpus"

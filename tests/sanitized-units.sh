#!/bin/sh
# The Criterion unit tests again, built with AddressSanitizer (leaks
# included) and UndefinedBehaviorSanitizer: every parser of outside input
# and the filter code run under them. Any report fails the suite.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${CDB_SRCDIR:-$here/..}/src
build=$(cd "$(dirname "${CDB_RUN:-$here/../src/cdb-run}")/.." && pwd)
cc=${CC:-cc}
work=$(mktemp -d /tmp/cdb-sanitized.XXXXXX)
trap 'rm -rf "$work"' EXIT

flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=address,undefined
  -fno-sanitize-recover=all -fno-omit-frame-pointer -I$src -I$build/src"
libs="jansson libcap-ng mount libseccomp criterion"
core="$src/spec.c $src/profile.c $src/plan.c $src/policy.c $src/error.c
  $src/json-path.c $src/strv.c"

build_unit () {
  name=$1
  shift
  # shellcheck disable=SC2046,SC2086
  $cc $flags $(pkg-config --cflags $libs) -o "$work/$name" \
    "$here/$name.c" $core "$@" $(pkg-config --libs $libs)
}

build_unit unit-spec
build_unit unit-profile
build_unit unit-filter "$src/filter.c" "$src/filter-rules.c" \
  "$build/src/builtin-filter.c"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for name in unit-spec unit-profile unit-filter; do
  echo "==> $name, sanitized"
  "$work/$name" --jobs 1 || status=1
done
exit "$status"

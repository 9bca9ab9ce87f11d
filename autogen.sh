#!/bin/sh
# Generates configure and the Makefile.in files, which are not committed.
set -e
cd "$(dirname "$0")"
autoreconf -fi

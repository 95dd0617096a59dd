#!/bin/sh
# Runs node's test runner over the test files of a suite. Node 20 does not expand globs
# given to --test, so the files are listed here.
#   scripts/test.sh unit      → tests beside the code and test/unit
#   scripts/test.sh interop   → test/interop (real sipp, baresip, PostgreSQL)
set -e
cd "$(dirname "$0")/.."
case "$1" in
  unit) files=$(find src test/unit -name '*.test.ts' 2>/dev/null | sort); conc=2 ;;
  interop) files=$(find test/interop -name '*.test.ts' | sort); conc=1 ;;
  *) echo "usage: scripts/test.sh unit|interop" >&2; exit 2 ;;
esac
if [ -z "$files" ]; then echo "no $1 tests found" >&2; exit 1; fi
shift
exec node --import tsx --test --test-concurrency=$conc "$@" $files

#!/usr/bin/env bash
# Runs the whole test suite: unit tests of the rules, job tests and command-line
# tests, all against one embedded PostgreSQL started for the run. Needs only a JDK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec ./mvnw -B -ntp test "$@"

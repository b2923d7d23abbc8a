#!/usr/bin/env bash
# The mailing kill test with many random kill points (the suite runs 4):
#   scripts/kill-sweep.sh [POINTS] [SEED]      (default: 50 points, seed 18)
# Every step boundary of the exactly-once protocol is killed as in the suite, then POINTS random moments;
# the fake Lob, Stannp and IntelliPrint and the print files must count one postcard per recipient.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec ./mvnw -B -ntp test -Dtest=MailingKillTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpaperrun.kill.random-points="${1:-50}" -Dpaperrun.kill.seed="${2:-18}"

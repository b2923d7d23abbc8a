#!/usr/bin/env bash
# Runs `paperrun scheduler` on a fresh embedded database with proofing and mailing launched every
# INTERVAL (default PT0.2S: each launch is a whole job execution, as at the 7-15 s default) and every
# other job off, for MINUTES (default 10), and prints the heap left after a full GC each minute, with
# the launches so far: a day of default ticks is about 15,700 launches.
#   scripts/scheduler-soak.sh [MINUTES] [INTERVAL]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-10}"
interval="${2:-PT0.2S}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$root/scripts/paperrun" --data-dir "$work/data" apply -f "$root/jobs-config/examples/acme.yaml" >/dev/null
for job in RECIPIENT_SYNC ADDRESS_ENRICHMENT ORDER_SYNC ATTRIBUTION_PROCESSING DELIVERY_TRACKING EXPERIMENT_REPORT; do
  export "PAPERRUN_SCHEDULE_$job=off"
done
export PAPERRUN_SCHEDULE_PROOFING="$interval" PAPERRUN_SCHEDULE_MAILING="$interval"
"$root/scripts/paperrun" --data-dir "$work/data" scheduler >"$work/out" 2>"$work/err" &
pid=$!
sleep 20
jvm="$(pgrep -f "io.paperrun|paperrun.jar|paperrun-app" -n -P "$pid" 2>/dev/null || echo "$pid")"
printf '%-8s %10s %14s\n' minute launches "heap after GC"
for ((m = 1; m <= minutes; m++)); do
  sleep 60
  jcmd "$jvm" GC.run >/dev/null
  used="$(jcmd "$jvm" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { print $(i + 1); exit } }')"
  printf '%-8s %10s %14s\n' "$m" "$(grep -c 'execution' "$work/out" || true)" "$used"
done
echo "failed or could not run: $(grep -c -E 'FAILED|could not run' "$work/out" || true);" \
  "due while still running (not started again): $(grep -c 'still running' "$work/out" || true)"

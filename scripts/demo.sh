#!/usr/bin/env bash
# The whole path on the sample files, from a clean data directory: campaigns
# from the apply file, mailed recipients, a new audience enriched, proofed and
# mailed as print files, orders, then stage B, and a summary of what was
# attributed, by campaign and method, and of the recipients, by status; then
# the holdout analysis of winback-2024 (json, and html beside the data), the
# finance totals and every holdout campaign's reports.
#   scripts/demo.sh [DATA_DIR]     (default: ./data-demo)
# DATA_DIR is emptied first only when the demo made it: it must not exist, be
# empty, or hold nothing but a previous demo's data (its marker file beside).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
examples="$root/jobs-config/examples"
data="${1:-$root/data-demo}"
marker=".paperrun-demo"
launcher="${PAPERRUN_DEMO_LAUNCHER:-$root/scripts/paperrun}" # tests put a stand-in here

refuse() { echo "demo.sh: refusing to use $data: $1; give a new or empty directory" >&2; exit 2; }
if [[ -L "$data" ]]; then
  refuse "a symbolic link"
elif [[ -e "$data" && ! -d "$data" ]]; then
  refuse "not a directory"
elif [[ -d "$data" && -n "$(ls -A "$data")" ]]; then
  [[ -f "$data/$marker" ]] || refuse "it is not empty and holds no previous demo's data (no $marker file)"
  # A previous demo's data: the marker, the database, the lock and the export; nothing else.
  others="$(find "$data" -mindepth 1 -maxdepth 1 ! -name "$marker" ! -name postgres ! -name paperrun.lock \
    ! -name attributions.csv ! -name attributions.csv.partial ! -name recipients.csv ! -name recipients.csv.partial \
    ! -name proofs ! -name print ! -name reports ! -name winback-2024-experiment.html \
    ! -name winback-2024-experiment.html.partial \
    -printf '%f ')"
  [[ -z "$others" ]] || refuse "it holds more than a previous demo's data: $others"
  rm -rf "$data"
fi
mkdir -p "$data"
echo "a PaperRun demo's data; scripts/demo.sh may delete this directory" > "$data/$marker"
paperrun() { "$launcher" --data-dir "$data" "$@"; }

echo "== paperrun apply -f jobs-config/examples/acme.yaml"
paperrun apply -f "$examples/acme.yaml"
echo "== paperrun import recipients --org acme --file jobs-config/examples/recipients.csv"
paperrun import recipients --org acme --file "$examples/recipients.csv"
echo "== paperrun import do-not-mail --org acme --file jobs-config/examples/do-not-mail.csv"
paperrun import do-not-mail --org acme --file "$examples/do-not-mail.csv"
echo "== paperrun import recipients --org acme --file jobs-config/examples/audience.csv   (new people: no status)"
paperrun import recipients --org acme --file "$examples/audience.csv"
echo "== paperrun import recipients --org acme --file jobs-config/examples/spring-audience.csv   (a new campaign's audience)"
paperrun import recipients --org acme --file "$examples/spring-audience.csv"
echo "== paperrun run address-enrichment"
paperrun run address-enrichment
echo "== paperrun run proofing   (a PDF and a preview per recipient, under $data/proofs)"
paperrun run proofing
echo "== paperrun run mailing   (no printer configured: print files under $data/print)"
paperrun run mailing
echo "== paperrun run delivery-tracking   (print files are not tracked: nothing to ask)"
paperrun run delivery-tracking
echo "== paperrun import orders --org acme --file jobs-config/examples/orders.csv"
paperrun import orders --org acme --file "$examples/orders.csv"
echo "== paperrun run attribution-processing"
paperrun run attribution-processing
export_file="$data/attributions.csv"
echo "== paperrun export attributions --org acme --out $export_file"
paperrun export attributions --org acme --out "$export_file"
echo
echo "== attributed orders, by campaign and method (passing = counted by the rules)"
awk -F, 'NR > 1 {
    key = $4 " / " $7 (($8 == "true") ? " (holdout)" : "")
    orders[key]++; value[key] += $3
    if ($9 == "true") { passing[key]++; revenue[key] += $3 }
  }
  END {
    printf "%-44s %7s %8s %12s\n", "campaign / method", "orders", "passing", "revenue"
    n = asorti(orders, keys)
    for (i = 1; i <= n; i++) {
      k = keys[i]
      printf "%-44s %7d %8d %12.2f\n", k, orders[k], passing[k], revenue[k]
    }
  }' "$export_file"
echo
echo "== the attributions themselves: $export_file"
cat "$export_file"
recipients_file="$data/recipients.csv"
echo
echo "== paperrun export recipients --org acme --out $recipients_file"
paperrun export recipients --org acme --out "$recipients_file"
echo
echo "== recipients, by campaign and status (reason)"
awk -F, 'NR > 1 { key = $1 " / " $13 (($14 != "") ? " (" $14 ")" : ""); n[key]++ }
  END { m = asorti(n, keys); for (i = 1; i <= m; i++) printf "%-44s %7d\n", keys[i], n[keys[i]] }' "$recipients_file"
if [[ -d "$data/print" ]]; then
  echo
  echo "== the print files: one PDF of every postcard, and its manifest"
  find "$data/print" -name manifest.csv -o -name postcards.pdf | sort
  shopt -s nullglob
  for manifest in "$data"/print/*/*/manifest.csv; do
    cat "$manifest"
  done
fi
echo
echo "== paperrun report experiment --org acme --campaign winback-2024 --format json --out -   (the holdout analysis)"
paperrun report experiment --org acme --campaign winback-2024 --format json --out -
report_file="$data/winback-2024-experiment.html"
echo "== paperrun report experiment --org acme --campaign winback-2024 --format html --out $report_file"
paperrun report experiment --org acme --campaign winback-2024 --format html --out "$report_file"
echo "== paperrun report finance --org acme --from 2024-01-01 --to 2026-01-01 --out -"
paperrun report finance --org acme --from 2024-01-01 --to 2026-01-01 --out -
echo "== paperrun run experiment-report   (every holdout campaign's reports, under $data/reports)"
paperrun run experiment-report

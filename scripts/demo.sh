#!/usr/bin/env bash
# A complete matchback on the sample files, from a clean data directory:
# campaigns from the apply file, mailed recipients, orders, then stage B,
# and a summary of what was attributed, by campaign and method.
#   scripts/demo.sh [DATA_DIR]     (default: a fresh ./data-demo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
examples="$root/jobs-config/examples"
data="${1:-$root/data-demo}"
rm -rf "$data"
paperrun() { "$root/scripts/paperrun" --data-dir "$data" "$@"; }

echo "== paperrun apply -f jobs-config/examples/acme.yaml"
paperrun apply -f "$examples/acme.yaml"
echo "== paperrun import recipients --org acme --file jobs-config/examples/recipients.csv"
paperrun import recipients --org acme --file "$examples/recipients.csv"
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

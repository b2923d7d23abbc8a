#!/usr/bin/env bash
# Renders an HTML report to a PNG in headless Chromium, offline, as a reader would see it.
#
#   scripts/report-screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# WIDTH defaults to 1100 pixels. HEIGHT defaults to the page's own height at
# that width, measured first on a temporary copy of the page (2600 when the
# measure fails). Needs Debian's chromium (apt-get install -y chromium) or
# $CHROMIUM pointing at a Chromium binary.
set -euo pipefail

usage() {
    echo "usage: $0 REPORT.html OUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
}

[[ $# -ge 2 && $# -le 4 ]] || usage
report="$1"
out="$2"
width="${3:-1100}"
height="${4:-}"
[[ -f "$report" ]] || { echo "$0: no such file: $report" >&2; exit 2; }
[[ "$width" =~ ^[0-9]+$ && "$height" =~ ^[0-9]*$ ]] || { echo "$0: WIDTH and HEIGHT are pixels" >&2; exit 2; }

chromium="${CHROMIUM:-}"
if [[ -z "$chromium" ]]; then
    for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
        if [[ -x "$candidate" ]]; then
            chromium="$candidate"
            break
        fi
    done
fi
if [[ -z "$chromium" || ! -x "$chromium" ]]; then
    echo "$0: Chromium not found${chromium:+ at $chromium}; install it with: sudo apt-get install -y chromium" \
        "(or set CHROMIUM to a Chromium binary)" >&2
    exit 1
fi

abs_report="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
abs_out="$(mkdir -p "$(dirname "$out")" && cd "$(dirname "$out")" && pwd)/$(basename "$out")"
profile="$(mktemp -d "${TMPDIR:-/tmp}/report-screenshot.XXXXXX")"
trap 'rm -rf "$profile"' EXIT

chromium_offline() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile/user-data" --hide-scrollbars "$@"
}

if [[ -z "$height" ]]; then
    # The copy writes its height into its title, which --dump-dom prints.
    sed 's#</body>#<script>document.title = "height:" + document.documentElement.scrollHeight;</script></body>#' \
        "$abs_report" >"$profile/measure.html"
    height="$(chromium_offline --window-size="$width,800" --dump-dom "file://$profile/measure.html" 2>/dev/null \
        | sed -n 's#.*<title>height:\([0-9]*\)</title>.*#\1#p' | head -n 1)" || height=""
    height="${height:-2600}"
fi

rm -f "$abs_out"
chromium_offline --window-size="$width,$height" --screenshot="$abs_out" "file://$abs_report" \
    >"$profile/chromium.log" 2>&1 || {
    echo "$0: chromium failed:" >&2
    tail -n 20 "$profile/chromium.log" >&2
    exit 1
}
[[ -s "$abs_out" ]] || { echo "$0: chromium wrote no screenshot" >&2; tail -n 20 "$profile/chromium.log" >&2; exit 1; }
echo "$abs_out"

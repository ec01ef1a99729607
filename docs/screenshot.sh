#!/bin/sh
# Regenerate docs/report-screenshot.png: the HTML review of examples/logzio.yaml as headless
# Chromium draws it. Run from anywhere: docs/screenshot.sh (needs orchlint on PATH, or
# ORCHLINT=path/to/orchlint, and Debian's chromium, or CHROMIUM=path/to/chrome).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Installed plugins (such as plugins/orchlint-acme-policy) would add their rules to the picture.
ORCHLINT_DISABLE_PLUGIN_AUTOLOAD=1 "${ORCHLINT:-orchlint}" report examples/logzio.yaml --format html -o "$tmp/review.html"
"${CHROMIUM:-chromium}" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size=1280,1400 \
    --screenshot="$PWD/docs/report-screenshot.png" "file://$tmp/review.html" 2>/dev/null
echo "wrote docs/report-screenshot.png"

#!/usr/bin/env bash
# ctest's entry to the browser test: skipped (77) when Chromium, Node or the puppeteer-core that
# tests/serve/setup-node.sh installs (run by `.ci/setup --test`) is missing; screenshots go to OUT.
set -euo pipefail
BIN=$1 ROOT=$2 OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null ||
   [ ! -f "$HERE/node/node_modules/puppeteer-core/package.json" ]; then
  echo "skipped: needs /usr/bin/chromium, node and tests/serve/setup-node.sh" >&2
  exit 77
fi
exec timeout 180 node "$HERE/browser.js" "$BIN" "$ROOT" "$OUT"

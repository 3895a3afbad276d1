#!/usr/bin/env bash
# Installs puppeteer-core (pinned) into tests/serve/node/ for the browser test: the test set-up
# runs it, never the build. No browser is downloaded: puppeteer-core drives the system Chromium
# (Debian's chromium package). Idempotent: does nothing when the pinned version is there.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=25.16.0
mkdir -p node
if [ -f node/node_modules/puppeteer-core/package.json ] &&
   grep -q "\"version\": \"$VERSION\"" node/node_modules/puppeteer-core/package.json; then
  exit 0
fi
cd node
[ -f package.json ] || echo '{"name": "subsidy-serve-browser-test", "private": true}' > package.json
PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent --save-exact \
  "puppeteer-core@$VERSION" >/dev/null

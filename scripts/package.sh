#!/usr/bin/env bash
# npm run package: builds the admin page and its translations, then zips the plugin as
# dist/sync-hub.zip with a top folder sync-hub/, as WordPress' "Upload Plugin" expects.
# Dev-only files (translation fragments, tests, tool configs, source maps) stay out. Fails when a
# string has no es_ES or fa_IR translation (scripts/i18n.mjs --check).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

root=$(pwd)
out="$root/dist/sync-hub.zip"

if ! command -v zip >/dev/null 2>&1; then
  apt_install zip
fi
if [ ! -d node_modules/@wordpress/scripts ]; then
  bash scripts/ensure-node-deps.sh
fi

log "building the admin page and translations"
npm run --silent build -w admin-ui
# A release ships every string translated; SYNCHUB_ALLOW_UNTRANSLATED=1 packages anyway (a dev build).
if ! node scripts/i18n.mjs --check; then
  if [ "${SYNCHUB_ALLOW_UNTRANSLATED:-0}" != 1 ]; then
    log "translations are incomplete (see above); set SYNCHUB_ALLOW_UNTRANSLATED=1 to package anyway"
    exit 1
  fi
  log "packaging with incomplete translations (SYNCHUB_ALLOW_UNTRANSLATED=1)"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/sync-hub" "$root/dist"

tar -C plugin \
  --exclude='./languages/po' \
  --exclude='./tests' \
  --exclude='./node_modules' \
  --exclude='./vendor/bin' \
  --exclude='*.map' \
  --exclude='.DS_Store' \
  --exclude='.git*' \
  --exclude='phpunit.xml*' \
  --exclude='phpcs.xml*' \
  --exclude='composer.json' \
  --exclude='composer.lock' \
  -cf - . | tar -C "$stage/sync-hub" -xf -

for required in sync-hub.php build/index.js build/index.asset.php build/index.css build/index-rtl.css languages/sync-hub.pot; do
  if [ ! -f "$stage/sync-hub/$required" ]; then
    log "the package would miss $required"
    exit 1
  fi
done

rm -f "$out"
# -X: no extra file attributes, so the same tree gives the same archive contents.
(cd "$stage" && zip -qrX "$out" sync-hub)
log "wrote dist/sync-hub.zip ($(du -h "$out" | cut -f1), $(unzip -Z1 "$out" | grep -vc '/$') files)"

#!/usr/bin/env bash
# npm test: type-checks, then every suite (worker, admin-ui, plugin, end-to-end) against real
# MariaDB, Redis, WordPress and Chromium. Installs what is missing first. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=4096"

started=$(date +%s)
results_dir=.tmp/test-results
rm -rf "$results_dir" && mkdir -p "$results_dir" test/artifacts

set -e
missing=$(missing_packages "${TEST_APT_PACKAGES[@]}")
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  apt_install $missing
fi
bash scripts/ensure-node-deps.sh
bash scripts/ensure-services.sh
set +e

declare -a passed_stages=() failed_stages=()
stage() {
  local name="$1"; shift
  printf '\n== %s\n' "$name"
  local t0=$(date +%s)
  if "$@"; then passed_stages+=("$name"); else failed_stages+=("$name"); fi
  printf -- '-- %s took %ss\n' "$name" "$(( $(date +%s) - t0 ))"
}

vitest_json() { echo "--reporter=default --reporter=json --outputFile.json=$results_dir/$1.json"; }

# shellcheck disable=SC2046
stage "typecheck worker + tests" npx tsc -p tsconfig.test.json --noEmit
stage "typecheck admin-ui" npx tsc -p admin-ui --noEmit
stage "lint (ESLint, Prettier)" bash scripts/lint.sh
# Fails only on high/critical advisories in production dependencies; unreachable = offline checks.
stage "dependency audit" node scripts/audit.mjs
stage "build admin page + translations" npm run --silent build -w admin-ui
if [ -f scripts/i18n.mjs ]; then
  stage "translations complete" node scripts/i18n.mjs --check
fi
# Real Odoo 17/18 for test/worker/bookings/odoo-real.test.ts (first run: python3 packages + templates).
stage "real Odoo peers (17, 18)" bash scripts/odoo-peers.sh
# shellcheck disable=SC2046
stage "worker tests" npx vitest run --project worker $(vitest_json worker)
if [ -f admin-ui/vitest.config.ts ]; then
  # shellcheck disable=SC2046
  stage "admin-ui tests" npx vitest run --config admin-ui/vitest.config.ts $(vitest_json admin-ui)
fi
if [ -f scripts/wordpress/phpunit.sh ]; then
  stage "plugin tests (php -l + PHPUnit)" bash scripts/wordpress/phpunit.sh --log-junit "$results_dir/phpunit.xml"
fi
# shellcheck disable=SC2046
stage "end-to-end tests" npx vitest run --project e2e $(vitest_json e2e)

node scripts/test-summary.mjs "$results_dir"
printf 'npm test took %ss\n' "$(( $(date +%s) - started ))"
if [ "${#failed_stages[@]}" -gt 0 ]; then
  printf 'FAILED stages: %s\n' "${failed_stages[*]}"
  exit 1
fi
printf 'all %s stages passed\n' "${#passed_stages[@]}"

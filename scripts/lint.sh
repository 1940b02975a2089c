#!/usr/bin/env bash
# Lint for `npm test`: ESLint with TypeScript rules and the house walls for the worker, its tests,
# benchmarks and scripts (eslint.config.mjs); WordPress's rules for the admin page and its tests
# (admin-ui/eslint.config.mjs, Prettier included); Prettier for the rest (prettier.worker.cjs).
# PHP is checked by phpcs in scripts/wordpress/phpunit.sh. docs/api.md must match the route contracts
# (scripts/api-docs.ts; `npm run docs:api` regenerates it). `--fix` applies what the tools can fix.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fix=()
prettier_mode=--check
if [ "${1:-}" = "--fix" ]; then fix=(--fix); prettier_mode=--write; fi

status=0
npx eslint --max-warnings 0 "${fix[@]}" worker/src test bench scripts || status=1
npx eslint --max-warnings 0 "${fix[@]}" -c admin-ui/eslint.config.mjs admin-ui/src test/admin-ui || status=1
npx prettier --config prettier.worker.cjs "$prettier_mode" --log-level warn worker/src test bench scripts '*.mjs' '!test/admin-ui/**' || status=1
if [ "${#fix[@]}" -gt 0 ]; then node --import tsx scripts/api-docs.ts || status=1; else node --import tsx scripts/api-docs.ts --check || status=1; fi
[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"

#!/usr/bin/env bash
# npm run bench -- outbox : the cost Outbox::record() adds to a hook, inside a real WordPress.
# Makes a throw-away WordPress site (Debian's package) with the plugin active, runs
# bench/outbox-record.php over 1,000 calls per case, writes bench/results/outbox-record.json.
#   OUTBOX_BENCH_ITERATIONS=5000 npm run bench -- outbox
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
docroot="$(mktemp -d "${TMPDIR:-/tmp}/synchub-bench-XXXXXX")"
db="synchub_bench_$$_$RANDOM"
trap 'php scripts/wordpress/destroy.php "$docroot" >/dev/null 2>&1 || true' EXIT
php scripts/wordpress/install.php --docroot="$docroot" --db="$db" --url=http://127.0.0.1:9 --fresh >/dev/null
php scripts/wordpress/run.php "$docroot" bench/outbox-record.php "${OUTBOX_BENCH_ITERATIONS:-1000}" "$repo/bench/results/outbox-record.json"

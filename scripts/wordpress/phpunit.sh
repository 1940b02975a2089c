#!/usr/bin/env bash
# Plugin checks for `npm test`:
#   1. `php -l` on every PHP file of the plugin, the harness, the tests and the benchmarks;
#   2. a PHP 7.4 syntax guard (no PHP 8-only constructs in plugin/);
#   3. phpcs with phpcs.xml.dist on plugin/;
#   4. PHPUnit (test/plugin/phpunit.xml) against a fresh WordPress site with the plugin active.
# Extra arguments go to PHPUnit (e.g. --log-junit out.xml, --filter Outbox).
# Exits non-zero on any failure. SYNCHUB_KEEP_WP=1 keeps the site for debugging.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

status=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! out=$(php -l "$file" 2>&1); then
    echo "$out" >&2
    status=1
  fi
done < <(find plugin scripts/wordpress test/plugin bench -name '*.php' -not -path 'plugin/build/*' -not -path '*/node_modules/*' -print0 2>/dev/null)
echo "php -l: $count files checked"
[ "$status" -eq 0 ] || { echo "php -l failed" >&2; exit 1; }

node scripts/wordpress/php74-check.mjs plugin || exit 1

# Static checks: phpcs.xml.dist (WordPress-style rules from Debian's php-codesniffer).
phpcs --standard=phpcs.xml.dist -q --no-colors --report=full || { echo "phpcs found problems (phpcbf --standard=phpcs.xml.dist fixes layout)" >&2; exit 1; }
echo "phpcs: plugin clean ($(grep -c '<rule ref' phpcs.xml.dist) rules)"

docroot="$(mktemp -d "${TMPDIR:-/tmp}/synchub-phpunit-XXXXXX")"
db="synchub_phpunit_$$_$RANDOM"
cleanup() {
  if [ "${SYNCHUB_KEEP_WP:-0}" = 1 ]; then
    echo "kept WordPress site: $docroot (database $db)"
  else
    php scripts/wordpress/destroy.php "$docroot" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# A free port: tests that need HTTP serve the site there with php -S themselves.
port="$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);')"
php scripts/wordpress/install.php --docroot="$docroot" --db="$db" --url="http://127.0.0.1:$port" \
  --mu-plugins=test/plugin/mu-plugins --fresh >/dev/null

SYNCHUB_WP_DOCROOT="$docroot" php -d auto_prepend_file="$repo/test/plugin/load-wordpress.php" \
  "$(command -v phpunit)" -c test/plugin/phpunit.xml "$@"

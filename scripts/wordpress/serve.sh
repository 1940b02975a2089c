#!/usr/bin/env bash
# Serve a harness site made by install.php with PHP's built-in server.
#   scripts/wordpress/serve.sh <docroot> [port]   (port defaults to the one in the site URL)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
docroot="${1:?usage: serve.sh <docroot> [port]}"
port="${2:-$(php -r '$s = json_decode(file_get_contents($argv[1]), true); echo parse_url($s["url"], PHP_URL_PORT) ?: 80;' "$docroot/.synchub-site.json")}"
# Several workers so WordPress' loopback requests (cron, REST from PHP) do not wait on each other.
export PHP_CLI_SERVER_WORKERS="${PHP_CLI_SERVER_WORKERS:-4}"
exec php -d display_errors=stderr -S "127.0.0.1:${port}" -t "$docroot" "$here/router.php"

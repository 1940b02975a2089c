#!/usr/bin/env bash
# Create a throw-away WordPress site (Debian's wordpress package) with Sync Hub active.
#   scripts/wordpress/install.sh <docroot> <db-name> <url> [extra install.php options…]
# Example: scripts/wordpress/install.sh /tmp/site synchub_wp_dev http://127.0.0.1:8080 --fresh \
#            --mu-plugins=test/e2e/mu-plugins --admin-password=admin
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
docroot="${1:?usage: install.sh <docroot> <db-name> <url> [options]}"
db="${2:?db name}"
url="${3:?url}"
shift 3
exec php "$here/install.php" --docroot="$docroot" --db="$db" --url="$url" "$@"

#!/usr/bin/env bash
# npm start: everything a fresh machine needs, then the worker on 127.0.0.1:8787 (HOST/PORT override).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
bash scripts/ensure-node-deps.sh
bash scripts/ensure-services.sh
log "building the worker"
npm run --silent build -w worker
# The worker creates its database and runs its migrations on start.
exec node worker/dist/main.js

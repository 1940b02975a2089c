#!/usr/bin/env bash
# npm start: everything a fresh machine needs, then the worker on 127.0.0.1:8787 (HOST/PORT override).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
bash scripts/ensure-node-deps.sh
bash scripts/ensure-services.sh
log "building the worker"
npm run --silent build -w worker
# The worker creates its database and runs its migrations on start. A larger young generation
# means fewer scavenges under webhook bursts (measured in bench/intake.ts).
exec node --max-semi-space-size=64 --expose-gc worker/dist/main.js

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
# means fewer scavenges under webhook bursts (measured in bench/intake.ts). The old generation is
# bounded: the worker's live heap stays near 55 MB even in a 300k-order sync, and without a bound
# V8 lets garbage grow it past 400 MB (bench/events.ts); SYNCHUB_WORKER_HEAP_MB raises it.
exec node --max-semi-space-size=16 --max-old-space-size="${SYNCHUB_WORKER_HEAP_MB:-128}" --expose-gc worker/dist/main.js

#!/usr/bin/env bash
# npm start: everything a fresh machine needs, then the worker on 127.0.0.1:8787 (HOST/PORT override).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
bash scripts/ensure-node-deps.sh
bash scripts/ensure-services.sh
log "building the worker"
npm run --silent build -w worker
# The worker creates its database and runs its migrations on start. V8 flags (measured in
# bench/events.ts, bench/intake.ts and bench/products.ts): the old generation is bounded, since the
# live heap stays near 55 MB even in a 300k-order sync and unbounded V8 let garbage grow the process
# past 420 MB (SYNCHUB_WORKER_HEAP_MB raises the bound); the young generation is small (8 MB
# semi-spaces: the 100k sync peaks at 172 MB against 193 MB at 16). Keep the bound well above the
# young generation: V8 must be able to promote all of it, and with 64 MB semi-spaces under a 128 MB
# bound the process spent its time in full collections (products intake 1.7k/s instead of 3.8k).
exec node --max-semi-space-size=8 --max-old-space-size="${SYNCHUB_WORKER_HEAP_MB:-128}" --expose-gc worker/dist/main.js

#!/usr/bin/env bash
# npm run bench -- <name>   runs bench/<name>.ts (or .sh) and writes bench/results/<name>.json
# npm run bench             runs every benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh >/dev/null
mkdir -p bench/results
run_one() {
  local name="$1"
  if [ -f "bench/$name.ts" ]; then
    node --import tsx "bench/$name.ts"
  elif [ -f "bench/$name.sh" ]; then
    bash "bench/$name.sh"
  else
    echo "no benchmark named $name (bench/$name.ts or bench/$name.sh)" >&2
    exit 2
  fi
}
if [ "$#" -gt 0 ]; then
  for name in "$@"; do run_one "$name"; done
else
  for file in bench/*.ts bench/*.sh; do
    [ -e "$file" ] || continue
    name=$(basename "$file"); name="${name%.*}"
    run_one "$name"
  done
fi

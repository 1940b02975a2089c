#!/usr/bin/env bash
# npm run bench:baseline -- <commit> [name ...]
# Runs benchmarks as they stood at another commit, on this machine, now: its own code and its own
# bench scripts, in a scratch tree. Results go to bench/results/baseline/<short commit>/. A figure
# is only comparable with one taken in the same hour on the same machine (the same 2 cores have
# run the same code 2x faster or slower from one day to the next): run this beside `npm run bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -lt 1 ]; then
  echo "usage: npm run bench:baseline -- <commit> [benchmark ...]" >&2
  exit 2
fi
commit=$(git rev-parse --verify --quiet "$1^{commit}") || {
  echo "bench:baseline: $1 is not a commit of this repository" >&2
  exit 2
}
shift
short=$(git rev-parse --short "$commit")
tree=$(mktemp -d "${TMPDIR:-/tmp}/synchub-baseline-$short.XXXXXX")
trap 'rm -rf "$tree"' EXIT
git archive "$commit" | tar -x -C "$tree"

# The same lockfile means the same packages: share this checkout's. Otherwise install the commit's own.
if git diff --quiet "$commit" HEAD -- package-lock.json && [ -d node_modules ]; then
  for dir in node_modules worker/node_modules admin-ui/node_modules; do
    if [ -d "$dir" ]; then ln -s "$PWD/$dir" "$tree/$dir"; fi
  done
else
  echo "bench:baseline: $short has another package-lock.json: npm ci in the scratch tree" >&2
  (cd "$tree" && npm ci --no-audit --no-fund)
fi

# Results this run writes are newer than the marker; the tree's committed ones keep their commit time.
marker="$tree/.bench-started"
touch "$marker"
(cd "$tree" && bash scripts/bench.sh "$@")

out="bench/results/baseline/$short"
mkdir -p "$out"
copied=0
while IFS= read -r -d '' file; do
  cp "$file" "$out/"
  copied=$((copied + 1))
done < <(find "$tree/bench/results" -maxdepth 1 -name '*.json' -newer "$marker" -print0)
echo "bench:baseline: $copied result file(s) of $short in $out"

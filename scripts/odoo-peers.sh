#!/usr/bin/env bash
# Prepares the real Odoo peers (17 and 18) for the test suite and the bookings-odoo benchmark:
# the first run per machine lets ../shared/peers/odoo/start.sh install Debian's python3 packages
# for Odoo (and PostgreSQL when none answers) and build each version's template database
# (40-90 s each) into ~/.cache/sync-hub-peers; later runs find the templates and return at once.
# Without the peers folder it prints one "skipped: ..." line and succeeds (the suite skips too).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

peers=""
for dir in "${SYNCHUB_PEERS_DIR:-}" "$(cd .. && pwd)/shared/peers" /work/shared/peers; do
  if [ -n "$dir" ] && [ -f "$dir/odoo/start.sh" ]; then peers="$dir"; break; fi
done
if [ -z "$peers" ]; then
  echo "skipped: real Odoo peers — no ../shared/peers/odoo (set SYNCHUB_PEERS_DIR to the peers folder)"
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/sync-hub-peers"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>{const t=require('net').createServer();t.once('error',()=>process.exit(1));t.listen(p+1,'127.0.0.1',()=>t.close(()=>console.log(p)))})})"; }

status=0
for version in 17 18; do
  template="synchub_odoo${version}_template"
  if [ -f "$cache/$template.api-key" ] && as_pg "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$template'\"" 2>/dev/null | grep -q 1; then
    log "Odoo $version template ready"
    continue
  fi
  log "building the Odoo $version template (first run on this machine: 40-90 s)"
  port=""
  for _ in 1 2 3 4 5; do port=$(free_port) && break; done
  db="synchub_odoo_${version}_prepare_$$"
  if line=$(bash "$peers/odoo/start.sh" "$port" "$db" "$version"); then
    eval "$line"
    kill "$ODOO_PID" 2>/dev/null || true
    as_pg "dropdb --if-exists $db" >/dev/null 2>&1 || true
    log "Odoo $version template built"
  else
    log "could not prepare Odoo $version"
    status=1
  fi
done
exit $status

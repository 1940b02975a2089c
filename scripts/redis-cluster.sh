#!/usr/bin/env bash
# A throw-away Redis Cluster on loopback, for tests and benchmarks (Debian's redis-server).
#   bash scripts/redis-cluster.sh start PORT [MASTERS]   MASTERS (default 3) nodes on PORT, PORT+1, …;
#                                                        cluster bus ports are PORT+10000, …
#   bash scripts/redis-cluster.sh stop PORT [MASTERS]    shuts the nodes down and removes their files
# Prints the seed list (127.0.0.1:PORT,…) for REDIS_CLUSTER_NODES once every node reports cluster_state:ok.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

action="${1:-}" base="${2:-}" masters="${3:-3}"
if [[ ! "$action" =~ ^(start|stop)$ || ! "$base" =~ ^[0-9]+$ || ! "$masters" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 start|stop PORT [MASTERS]" >&2
  exit 2
fi
root="${TMPDIR:-/tmp}/synchub-redis-cluster-$base"
ports=()
for ((i = 0; i < masters; i++)); do ports+=("$((base + i))"); done

stop_nodes() {
  local port
  for port in "${ports[@]}"; do
    if port_open 127.0.0.1 "$port"; then redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; fi
  done
  for port in "${ports[@]}"; do
    for ((i = 0; i < 50; i++)); do port_open 127.0.0.1 "$port" || break; sleep 0.1; done
  done
  rm -rf "$root"
}

if [ "$action" = stop ]; then
  stop_nodes
  exit 0
fi

command -v redis-server >/dev/null 2>&1 || apt_install redis-server
for port in "${ports[@]}"; do
  if port_open 127.0.0.1 "$port" || port_open 127.0.0.1 "$((port + 10000))"; then
    log "port $port or its bus port $((port + 10000)) is taken"
    exit 1
  fi
done
rm -rf "$root"
trap 'stop_nodes' ERR
for port in "${ports[@]}"; do
  mkdir -p "$root/$port"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --cluster-enabled yes \
    --cluster-config-file "$root/$port/nodes.conf" --cluster-node-timeout 5000 \
    --save "" --appendonly no --dir "$root/$port" --pidfile "$root/$port/redis.pid" \
    --logfile "$root/$port/redis.log" >/dev/null
done
for port in "${ports[@]}"; do wait_for_port 127.0.0.1 "$port" 30 "Redis cluster node"; done
seeds=()
for port in "${ports[@]}"; do seeds+=("127.0.0.1:$port"); done
redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes >"$root/create.log" 2>&1 \
  || { cat "$root/create.log" >&2; false; }
for port in "${ports[@]}"; do
  for ((i = 0; i < 150; i++)); do
    redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
    sleep 0.2
  done
  redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok' || { log "cluster node $port did not reach cluster_state:ok"; false; }
done
trap - ERR
(IFS=,; echo "${seeds[*]}")

#!/usr/bin/env bash
# Makes sure MariaDB and Redis answer on loopback: installs the Debian packages when missing and
# starts the servers when they are not running. Safe to run again and again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

MYSQL_PORT="${SYNCHUB_MYSQL_PORT:-3306}"
REDIS_PORT="${SYNCHUB_REDIS_PORT:-6379}"

if ! port_open 127.0.0.1 "$MYSQL_PORT"; then
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
  log "starting MariaDB on 127.0.0.1:$MYSQL_PORT"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --bind-address=127.0.0.1 --port="$MYSQL_PORT" --user=mysql --innodb-buffer-pool-size=1G
  wait_for_port 127.0.0.1 "$MYSQL_PORT" 60 "MariaDB"
fi

if ! port_open 127.0.0.1 "$REDIS_PORT"; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/synchub.log
  wait_for_port 127.0.0.1 "$REDIS_PORT" 30 "Redis"
fi

# Shared shell helpers for scripts/*.sh (sourced, not run).
log() { printf '[sync-hub] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() {
  local host="$1" port="$2" seconds="$3" what="$4" i
  for ((i = 0; i < seconds * 5; i++)); do
    port_open "$host" "$port" && return 0
    sleep 0.2
  done
  log "$what did not come up on $host:$port within ${seconds}s"
  return 1
}

APT_UPDATED=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "missing packages: $* — install them with: sudo apt-get install $*"
    return 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "installing $*"
  # Packages that ship a service (openssh-server) must not start it: the tests run their own
  # instance on loopback. policy-rc.d refuses starts during the install; then keep it off at boot.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  local status=$?
  [ "$own_policy" = 1 ] && rm -f "$policy"
  if printf '%s\n' "$@" | grep -qx openssh-server && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
  fi
  return $status
}

# Debian packages the test suite needs (WordPress, PHP, PHPUnit, Chromium, an OpenSSH server for the
# store-database tunnel tests, which start their own sshd on 127.0.0.1 only).
TEST_APT_PACKAGES=(php-cli php-mysql php-xml php-mbstring php-curl php-codesniffer wordpress phpunit chromium fonts-dejavu-core zip openssh-server)

missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  printf '%s\n' "${missing[@]}"
}

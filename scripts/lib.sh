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
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian packages the test suite needs (WordPress, PHP, PHPUnit, Chromium).
TEST_APT_PACKAGES=(php-cli php-mysql php-xml php-mbstring php-curl wordpress phpunit chromium fonts-dejavu-core zip)

missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  printf '%s\n' "${missing[@]}"
}

#!/bin/sh
# Installs or upgrades Airlane as a systemd service on Raspberry Pi OS / Debian (deploy/README.md).
#   sudo deploy/install.sh                  install or upgrade, enable and (re)start the service
#   deploy/install.sh --root DIR            install into a scratch root (no apt, no users, no systemctl)
#   deploy/install.sh --dry-run             print what would be done, change nothing
#   sudo deploy/install.sh --configure-pi   also turn the UART console off and I2C on with raspi-config
# Idempotent: a second run with the same sources changes nothing. /etc/airlane and /var/lib/airlane (the outbox)
# are never overwritten or removed; only /opt/airlane and the unit file are replaced.
set -eu

ROOT=""
DRY=0
CONFIGURE_PI=0
START=1
SRC=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
APT_PACKAGES="socat i2c-tools build-essential python3"

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || { echo "install.sh: --root needs a directory" >&2; exit 2; }; ROOT=$2; shift 2 ;;
    --root=*) ROOT=${1#--root=}; shift ;;
    --dry-run) DRY=1; shift ;;
    --configure-pi) CONFIGURE_PI=1; shift ;;
    --no-start) START=0; shift ;;
    --source) SRC=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -n "$ROOT" ]; then
  [ -d "$ROOT" ] || { echo "install.sh: --root $ROOT is not a directory" >&2; exit 2; }
  ROOT=$(CDPATH='' cd -- "$ROOT" && pwd)
fi
REAL=1
[ -n "$ROOT" ] && REAL=0

APP=$ROOT/opt/airlane
ETC=$ROOT/etc/airlane
STATE=$ROOT/var/lib/airlane
UNIT_DIR=$ROOT/etc/systemd/system
IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
CHANGED=0

say() { printf '%s\n' "$*"; }
# Runs a command, or prints it under --dry-run.
act() {
  CHANGED=1
  if [ "$DRY" = 1 ]; then say "would: $*"; else say "+ $*"; "$@"; fi
}
# chown only where it can work: as root (a real install, or --root run by root).
own() {
  if [ "$IS_ROOT" = 1 ] && [ "$REAL" = 1 ]; then act chown "$@"; fi
}

# --- Node.js: the versions package.json's "engines" allows (20.19+, or 22.12+) -------------------------------
node_ok() {
  v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  major=${v%%.*}; rest=${v#*.}; minor=${rest%%.*}
  [ "$major" -eq 20 ] && [ "$minor" -ge 19 ] && return 0
  [ "$major" -eq 22 ] && [ "$minor" -ge 12 ] && return 0
  [ "$major" -gt 22 ] && return 0
  return 1
}
if ! node_ok; then
  say "install.sh: Node.js 20.19 or later is needed (found: $(node -v 2>/dev/null || echo none))." >&2
  say "  Debian/Raspberry Pi OS: see deploy/README.md, 'Node.js 20' (NodeSource or Debian's nodejs)." >&2
  exit 1
fi
NODE_BIN=$(command -v node)

# --- Debian packages (real installs only) --------------------------------------------------------------------
if [ "$REAL" = 1 ]; then
  missing=""
  for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    act apt-get update
    # shellcheck disable=SC2086
    act env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
  fi
  if [ "$DRY" = 0 ] && [ "$NODE_BIN" != /usr/bin/node ]; then
    say "note: node is $NODE_BIN; the unit runs /usr/bin/node (link it: ln -s $NODE_BIN /usr/bin/node)."
  fi
fi

# --- user and groups -----------------------------------------------------------------------------------------
# Under --root the entries go into the scratch root's etc/passwd and etc/group (first free id from 900).
free_id() {
  id=900
  while cut -d: -f3 "$ROOT/etc/passwd" "$ROOT/etc/group" 2>/dev/null | grep -qx "$id"; do id=$((id + 1)); done
  echo "$id"
}
ensure_group() {
  if [ "$REAL" = 1 ]; then
    getent group "$1" >/dev/null || act groupadd --system "$1"
  else
    if [ "$DRY" = 0 ] && [ ! -e "$ROOT/etc/group" ]; then mkdir -p "$ROOT/etc"; : > "$ROOT/etc/group"; fi
    grep -qs "^$1:" "$ROOT/etc/group" || act sh -c "echo '$1:x:$(free_id):' >> '$ROOT/etc/group'"
  fi
}
# The unit's SupplementaryGroups= must all exist or systemd refuses to start it (216/GROUP); Raspberry Pi OS
# has them, plain Debian lacks i2c and gpio.
for g in airlane dialout i2c gpio; do ensure_group "$g"; done
if [ "$REAL" = 1 ]; then
  getent passwd airlane >/dev/null ||
    act useradd --system --gid airlane --home-dir /var/lib/airlane --no-create-home --shell /usr/sbin/nologin airlane
else
  if [ "$DRY" = 0 ] && [ ! -e "$ROOT/etc/passwd" ]; then : > "$ROOT/etc/passwd"; fi
  if ! grep -qs '^airlane:' "$ROOT/etc/passwd"; then
    gid=$(grep -s '^airlane:' "$ROOT/etc/group" | cut -d: -f3)
    act sh -c "echo 'airlane:x:$(free_id):${gid:-900}:Airlane gateway:/var/lib/airlane:/usr/sbin/nologin' >> '$ROOT/etc/passwd'"
  fi
fi

# --- directories ---------------------------------------------------------------------------------------------
ensure_dir() { # path mode owner
  if [ ! -d "$1" ]; then act mkdir -p "$1"; fi
  if [ -d "$1" ] && [ "$(stat -c %a "$1")" != "$2" ]; then act chmod "$2" "$1"; fi
  if [ "$IS_ROOT" = 1 ] && [ "$REAL" = 1 ] && [ "$(stat -c %U:%G "$1" 2>/dev/null)" != "$3" ]; then own "$3" "$1"; fi
}
ensure_dir "$ETC" 750 root:airlane
ensure_dir "$STATE" 750 airlane:airlane
ensure_dir "$UNIT_DIR" 755 root:root

# --- configuration: written once, never overwritten ----------------------------------------------------------
if [ ! -e "$ETC/station.yaml" ]; then
  act cp "$SRC/hardware/stations/kerbside-pi.yaml" "$ETC/station.yaml"
  act chmod 640 "$ETC/station.yaml"
  own root:airlane "$ETC/station.yaml"
  [ "$DRY" = 1 ] || say "wrote $ETC/station.yaml from hardware/stations/kerbside-pi.yaml: edit it for this pole."
else
  say "kept $ETC/station.yaml"
fi
# The reference station listens on 0.0.0.0, which needs an API token: generate one once.
if [ ! -e "$ETC/airlane.env" ]; then
  token=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  if [ "$DRY" = 1 ]; then say "would: write $ETC/airlane.env (AIRLANE_HTTP_TOKEN=<random>)"; CHANGED=1
  else
    CHANGED=1
    umask 077
    cat > "$ETC/airlane.env" <<EOF
# Read by systemd (EnvironmentFile=) before it drops to the airlane user; keep it 0600 root.
# Variables: deploy/README.md. This token guards the local API (README "Security").
AIRLANE_HTTP_TOKEN=$token
#AIRLANE_INFLUX_URL=http://user:password@influx.example.org:8086/airlane
#AIRLANE_MQTT_URL=mqtts://gw-kerb-01:password@broker.example.org:8883
#AIRLANE_LOG_LEVEL=info
EOF
    umask 022
    say "wrote $ETC/airlane.env with a new AIRLANE_HTTP_TOKEN"
  fi
else
  say "kept $ETC/airlane.env"
fi

# --- the application -----------------------------------------------------------------------------------------
# What goes into /opt/airlane: the runtime tree, not tests or node_modules (npm ci builds those for this Pi).
APP_FILES="package.json package-lock.json README.md bin firmware gateway hardware dashboards deploy"
stage=$APP.new
copy_app() {
  rm -rf "$stage"; mkdir -p "$stage"
  for f in $APP_FILES; do
    if [ -e "$SRC/$f" ]; then cp -R "$SRC/$f" "$stage/"; fi
  done
  # Tests beside the code are not needed on a Pi.
  find "$stage" -name '*.test.ts' -type f -exec rm -f {} +
}
# Compares the sources with what is installed (node_modules and tests aside) without writing anything, so an
# unchanged install leaves every file and directory as it was. 0 = differs.
app_differs() {
  [ -d "$APP" ] || return 0
  for f in $APP_FILES; do
    if [ -e "$SRC/$f" ]; then
      diff -rq -x node_modules -x '*.test.ts' "$SRC/$f" "$APP/$f" >/dev/null 2>&1 || return 0
    elif [ -e "$APP/$f" ]; then
      return 0
    fi
  done
  return 1
}
if [ "$DRY" = 1 ]; then
  say "would: copy $APP_FILES from $SRC into $APP (only if they differ), npm ci --omit=dev on a real install"
elif app_differs; then
  CHANGED=1
  copy_app
  if [ "$REAL" = 1 ]; then
    say "+ npm ci --omit=dev (in $stage)"
    (cd "$stage" && npm ci --omit=dev --no-audit --no-fund)
  fi
  # Upgrade: stop, swap, start. The outbox in /var/lib/airlane is not touched; the gateway migrates its file
  # format in place when it opens it (gateway/outbox/README.md). The previous version stays in
  # /opt/airlane.previous for a rollback (deploy/README.md, "Upgrade").
  if [ "$REAL" = 1 ] && systemctl is-active --quiet airlane 2>/dev/null; then act systemctl stop airlane; fi
  rm -rf "$APP.previous"
  if [ -d "$APP" ]; then mv "$APP" "$APP.previous"; fi
  mv "$stage" "$APP"
  say "installed $APP"
else
  say "kept $APP (unchanged)"
fi

# --- the unit ------------------------------------------------------------------------------------------------
UNIT=$UNIT_DIR/airlane.service
if ! cmp -s "$SRC/deploy/systemd/airlane.service" "$UNIT"; then
  act cp "$SRC/deploy/systemd/airlane.service" "$UNIT"
  act chmod 644 "$UNIT"
  UNIT_CHANGED=1
else
  UNIT_CHANGED=0
  say "kept $UNIT"
fi
WANTS=$UNIT_DIR/multi-user.target.wants
if [ "$REAL" = 1 ]; then
  [ "$UNIT_CHANGED" = 1 ] && act systemctl daemon-reload
  systemctl is-enabled --quiet airlane 2>/dev/null || act systemctl enable airlane
  if [ "$START" = 1 ]; then
    if [ "$CHANGED" = 1 ] || ! systemctl is-active --quiet airlane; then act systemctl restart airlane; fi
  fi
else
  # What `systemctl enable` would do, without a running systemd.
  if [ ! -L "$WANTS/airlane.service" ]; then
    act mkdir -p "$WANTS"
    act ln -s ../airlane.service "$WANTS/airlane.service"
  fi
fi

# --- Raspberry Pi OS: UART console off, UART on, I2C on ------------------------------------------------------
if [ -e "$ROOT/etc/rpi-issue" ] || grep -qs 'Raspberry Pi' "$ROOT/proc/device-tree/model"; then
  if [ "$CONFIGURE_PI" = 1 ] && [ "$REAL" = 1 ]; then
    # raspi-config nonint: 0 = yes/enable, 1 = no/disable (its whiptail convention).
    act raspi-config nonint do_serial_cons 1
    act raspi-config nonint do_serial_hw 0
    act raspi-config nonint do_i2c 0
    say "Reboot for the UART and I2C changes to take effect."
  else
    say "Raspberry Pi OS: free the UART for the PM sensor and turn I2C on (then reboot):"
    say "  sudo raspi-config nonint do_serial_cons 1   # no login console on the UART"
    say "  sudo raspi-config nonint do_serial_hw 0     # UART hardware on"
    say "  sudo raspi-config nonint do_i2c 0           # I2C on"
    say "  (or run this script again with --configure-pi)"
  fi
fi

if [ "$CHANGED" = 0 ]; then say "nothing to do: Airlane is installed and up to date."; fi

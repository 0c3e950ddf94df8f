#!/usr/bin/env bash
# Installs what Cairn needs on Debian 12 (as root) and builds it. Idempotent: skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  btrfs-progs duperemove util-linux e2fsprogs xfsprogs openssl python3
  tgt libiscsi-bin qemu-utils qemu-block-extra nbdkit libnbd-bin
  nfs-ganesha nfs-ganesha-vfs libnfs-utils rpcbind dbus samba samba-vfs-modules smbclient fio
  chromium
  docker.io busybox-static python3-docker curl
)
[ "${CAIRN_WITH_POSTGRES:-0}" = 1 ] && PACKAGES+=(postgresql)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v node >/dev/null || { echo "setup: Node.js 20 is required" >&2; exit 1; }
stamp=node_modules/.cairn-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
echo "setup: building"
npx tsc -p tsconfig.json

# The web console (console/, its own package: the browser toolchain stays out of cairnd's
# dependencies), built into console/dist, which cairnd serves. Rebuilt when a source is newer.
stamp=console/node_modules/.cairn-installed
if [ ! -f "$stamp" ] || [ console/package-lock.json -nt "$stamp" ]; then
  echo "setup: installing the console's npm dependencies"
  (cd console && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
if [ ! -f console/dist/index.html ] ||
  [ -n "$(find console/src console/public console/index.html console/vite.config.ts console/package-lock.json \
    -newer console/dist/index.html -print -quit)" ]; then
  echo "setup: building the console"
  (cd console && npm run build --silent)
fi

#!/usr/bin/env bash
# Brings Cairn up in the foreground: installs and builds if needed, then runs cairnd with SQLite
# under CAIRN_DATA_DIR (default /var/lib/cairn) and self-signed HTTPS on CAIRN_LISTEN (default :8900).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CAIRN_DATA_DIR="${CAIRN_DATA_DIR:-/var/lib/cairn}"
exec ./bin/cairnd "$@"

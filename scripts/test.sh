#!/usr/bin/env bash
# Runs the whole test suite: lint, format, build, unit tests, then integration tests with real
# loop devices, btrfs and daemons, on SQLite and on a throw-away PostgreSQL. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
CAIRN_WITH_POSTGRES=1 bash scripts/setup.sh

echo "== lint and format"
npx eslint . --max-warnings=0
npx prettier --check . --log-level=warn

work=$(mktemp -d /tmp/cairn-test.XXXXXX)
chmod 755 "$work"
pgdir="$work/pg"
cleanup() {
  bash scripts/pg.sh stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT
bash scripts/leaks.sh snap "$work/before"

export CAIRN_TEST_PG_URL
CAIRN_TEST_PG_URL=$(bash scripts/pg.sh start "$pgdir" "${CAIRN_TEST_PG_PORT:-55432}")
export CAIRN_TEST_ROOT="$work"

files=$(find build/test -name '*.test.js' | sort)
[ -n "${CAIRN_TEST_FILTER:-}" ] && files=$(echo "$files" | grep -E "$CAIRN_TEST_FILTER" || true)
status=0
node --test --test-concurrency="${CAIRN_TEST_CONCURRENCY:-2}" --test-timeout=900000 $files || status=$?

bash scripts/pg.sh stop "$pgdir" || true
bash scripts/leaks.sh check "$work/before" || status=1
exit $status

#!/usr/bin/env bash
# Snapshot (snap FILE) or compare (check FILE) what tests may leak: loop devices, btrfs and
# FUSE mounts, storage daemons and program launchers. `check` lists what appeared since the snapshot and fails.
set -euo pipefail
state() {
  { losetup -l -n --raw -O NAME,BACK-FILE 2>/dev/null || true; } | sed 's/^/loop /'
  { findmnt -rn -t btrfs,fuse,fuse.nbdfuse -o TARGET 2>/dev/null || true; } | sed 's/^/mount /'
  for p in $(pgrep -x 'cairnd|tgtd|ganesha.nfsd|smbd|nbdkit|qemu-nbd|rpcbind|dbus-daemon' 2>/dev/null || true); do echo "proc $p $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | cut -c1-120)"; done
  for p in $(pgrep -f 'build/src/daemon/main.js' 2>/dev/null || true); do echo "proc $p cairnd"; done
  # A program launcher outlives its cairnd (or test process) only by mistake: it ends on stdin's end.
  for p in $(pgrep -f 'libexec/cairn-launcher.py' 2>/dev/null || true); do echo "proc $p cairn-launcher"; done
  true
}
case "$1" in
  snap) state | sort >"$2" ;;
  check)
    now=$(mktemp)
    state | sort >"$now"
    new=$(comm -13 "$2" "$now")
    rm -f "$now"
    if [ -n "$new" ]; then
      echo "LEAK CHECK FAILED: the tests left these behind:"
      echo "$new"
      exit 1
    fi
    echo "leak check: no loop device, mount or daemon left behind"
    ;;
esac

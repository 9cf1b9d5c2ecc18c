#!/usr/bin/env bash
# Measures the release tray app's idle memory with no window open: a private
# D-Bus session, Xvfb, dunst, a live pmap-sim (demo scenario, so the stream
# carries events), then /proc/<pid>/smaps_rollup after SECONDS_IDLE seconds.
# Usage: tests/app/idle-memory.sh [seconds]   (builds the release binaries)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p pmap-companion -p pmap-sim >&2

if [ -z "${PMAP_IN_SESSION:-}" ]; then
  PMAP_IN_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data \
  XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state TZ=UTC
display=:$((200 + $$ % 500))
Xvfb "$display" -nolisten tcp >/dev/null 2>&1 & pids+=($!)
export DISPLAY=$display
until [ -S "/tmp/.X11-unix/X${display#:}" ]; do sleep 0.1; done
dunst >/dev/null 2>&1 & pids+=($!)

"$target/release/pmap-sim" --addr 127.0.0.1:0 --scenario demo >"$work/sim.out" 2>/dev/null & pids+=($!)
until grep -q '^listening on ' "$work/sim.out"; do sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/sim.out")

PMAP_SERVER=$url PMAP_TOKEN=demo-ana PMAP_LOG=warn "$target/release/pmap-companion" 2>"$work/app.log" &
app=$!
pids+=($app)
sleep "$seconds"
kill -0 "$app" || { echo "the app exited:" >&2; cat "$work/app.log" >&2; exit 1; }
echo "pmap-companion (pid $app), no window, ${seconds} s on a live demo stream:"
grep -E '^(Rss|Pss|Pss_Anon|Pss_File|Anonymous|Shared_Clean|Private_Clean|Private_Dirty):' "/proc/$app/smaps_rollup"
[ -n "${PMAP_SMAPS_OUT:-}" ] && cp "/proc/$app/smaps" "$PMAP_SMAPS_OUT"
echo "threads: $(ls /proc/$app/task | wc -l)"
echo "child processes: $(pgrep -P "$app" | wc -l)"

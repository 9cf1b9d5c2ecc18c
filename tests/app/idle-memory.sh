#!/usr/bin/env bash
# Measures the release tray app's idle memory with no window open: a private
# D-Bus session, Xvfb, dunst, a live pmap-sim (demo scenario, so the stream
# carries events), then /proc/<pid>/smaps_rollup after SECONDS_IDLE seconds.
# With PMAP_OPEN_CLOSE=1 it then opens the window (a second launch, which the
# single-instance plugin turns into "open"), waits, closes it as a window
# manager would (WM_DELETE_WINDOW), waits SECONDS_IDLE again and re-measures.
# A StatusNotifierWatcher stands in for the panel: without one the app
# opens its window at start (no tray to wait in). Needs python3-gi.
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
# The panel's side of the tray: a StatusNotifierWatcher that accepts the
# app's item (the test suite's is tests/support/tray.rs).
/usr/bin/python3 "$(dirname "$0")/tray_watcher.py" >/dev/null 2>&1 & pids+=($!)
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.NameHasOwner string:org.kde.StatusNotifierWatcher 2>/dev/null |
  grep -q 'boolean true'; do sleep 0.1; done

"$target/release/pmap-sim" --addr 127.0.0.1:0 --scenario demo >"$work/sim.out" 2>/dev/null & pids+=($!)
until grep -q '^listening on ' "$work/sim.out"; do sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/sim.out")

export PMAP_SERVER=$url PMAP_TOKEN=demo-ana PMAP_LOG=warn
"$target/release/pmap-companion" 2>"$work/app.log" &
app=$!
pids+=($app)

report() {
  kill -0 "$app" || { echo "the app exited:" >&2; cat "$work/app.log" >&2; exit 1; }
  echo "pmap-companion (pid $app), $1:"
  grep -E '^(Rss|Pss|Pss_Anon|Pss_File|Anonymous|Shared_Clean|Private_Clean|Private_Dirty):' "/proc/$app/smaps_rollup"
  [ -n "${PMAP_SMAPS_OUT:-}" ] && cp "/proc/$app/smaps" "$PMAP_SMAPS_OUT$2"
  echo "threads: $(ls /proc/$app/task | wc -l)"
  echo "child processes: $(pgrep -P "$app" | wc -l) $(ps -o comm= --ppid "$app" | tr '\n' ' ')"
}

sleep "$seconds"
report "no window, ${seconds} s on a live demo stream" ""
[ -n "${PMAP_OPEN_CLOSE:-}" ] || exit 0

"$target/release/pmap-companion" 2>>"$work/app.log"
until window=$(xdotool search --name '^PMAP Companion' 2>/dev/null); do sleep 0.5; done
sleep 15
report "window open 15 s" ".open"
# WM_DELETE_WINDOW, as a window manager's close button sends it.
python3 "$(dirname "$0")/close_window.py" "$window"
while xdotool search --name '^PMAP Companion' >/dev/null 2>&1; do sleep 0.5; done
sleep "$seconds"
report "window opened and closed, ${seconds} s later" ".closed"

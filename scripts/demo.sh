#!/usr/bin/env bash
# Runs PMAP Companion against the embedded simulator with demo activity, as
# Ana Analyst. No account needed; nothing is written to the keyring.
# With a display: the tray app (`pmap-companion --demo`, simulator
# in-process). Without one: the headless CLI against pmap-sim.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  cargo build --release -p pmap-companion
  echo "demo: starting the tray app as Ana Analyst (Quit from the tray menu, or Ctrl-C)" >&2
  exec target/release/pmap-companion --demo
fi

echo "demo: no display found; running the headless CLI instead of the tray app" >&2
cargo build --release -p pmap-sim -p pmap-cli
out=$(mktemp)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -f "$out"' EXIT
target/release/pmap-sim --addr 127.0.0.1:0 --scenario demo >"$out" &
sim_pid=$!
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$out")
  [ -n "$url" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "demo: pmap-sim failed to start" >&2; exit 1; }
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "demo: pmap-sim did not report its address" >&2; exit 1; }
echo "demo: simulator at $url; watching as Ana Analyst (Ctrl-C to stop)" >&2
# The demo token is public fixture data; the CLI reads it from the
# environment, never from its arguments.
PMAP_TOKEN=demo-ana target/release/pmap-cli --server "$url" watch

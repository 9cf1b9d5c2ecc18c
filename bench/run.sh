#!/usr/bin/env bash
# `make bench`: end-to-end benchmark of pmap-cli (companion-core) against
# pmap-sim on 127.0.0.1, with Node and Python peer clients on the same
# stream. Writes bench/results/latest.json, bench/results/latency.svg and the
# generated table in docs/performance.md.
#
#   bash bench/run.sh           full run (~8 min after the release build)
#   bash bench/run.sh --profile perf profile of pmap-cli draining a queued
#                               flood, to bench/results/profile.txt
#   bash bench/run.sh --smoke   ~10 s check that the harness works: debug
#                               binaries, tiny counts, peers only if already
#                               installed, results to target/bench-smoke.json;
#                               it never asserts a time threshold.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=full
[[ "${1:-}" == "--smoke" ]] && mode=smoke
[[ "${1:-}" == "--profile" ]] && mode=profile

if [[ $mode == profile ]]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bench}
  cargo build --release --locked -p pmap-cli -p pmap-sim
  cd bench
  exec python3 -m harness.profile --cli "$CARGO_TARGET_DIR/release/pmap-cli" \
    --sim "$CARGO_TARGET_DIR/release/pmap-sim" --out "$root/bench/results/profile.txt"
elif [[ $mode == full ]]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bench}
  echo "bench: building release binaries (the tray app takes a while the first time)"
  cargo build --release --locked -p pmap-cli -p pmap-sim -p pmap-companion
  bin=$CARGO_TARGET_DIR/release
  echo "bench: counting allocations per frame"
  cargo bench --locked -q -p companion-core --bench alloc -- --out "$CARGO_TARGET_DIR/allocs.json"
  allocs=$CARGO_TARGET_DIR/allocs.json
  # Peer clients, pinned in bench/package.json and bench/requirements.txt.
  if [[ ! -d bench/node_modules/eventsource ]]; then
    (cd bench && npm install --no-audit --no-fund --loglevel=error)
  fi
  if [[ ! -x bench/.venv/bin/python ]]; then
    python3 -m venv bench/.venv
  fi
  bench/.venv/bin/python -c 'import httpx_sse' 2>/dev/null ||
    bench/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
  node_peer="node $root/bench/peers/node_peer.mjs"
  python_peer="$root/bench/.venv/bin/python $root/bench/peers/python_peer.py"
  raw_peer="python3 $root/bench/peers/raw_peer.py"
  out=(--out "$root/bench/results/latest.json" --doc "$root/docs/performance.md" --svg "$root/bench/results/latency.svg")
else
  bin=${CARGO_TARGET_DIR:-$root/target}/debug
  cargo build --locked -p pmap-cli -p pmap-sim
  allocs=${CARGO_TARGET_DIR:-$root/target}/bench-smoke-allocs.json
  cargo test --locked -q -p companion-core --bench alloc -- --frames 2000 --out "$allocs" >/dev/null
  node_peer="" python_peer=""
  [[ -d bench/node_modules/eventsource ]] && node_peer="node $root/bench/peers/node_peer.mjs"
  [[ -x bench/.venv/bin/python ]] && bench/.venv/bin/python -c 'import httpx_sse' 2>/dev/null &&
    python_peer="$root/bench/.venv/bin/python $root/bench/peers/python_peer.py"
  raw_peer="python3 $root/bench/peers/raw_peer.py"
  out=(--out "$root/target/bench-smoke.json")
fi

# The tray phase needs the app binary (the smoke uses a debug one only if
# `make test` already built it) and a headless desktop's tools.
tray=(--tray "$bin/pmap-companion")
[[ -x $bin/pmap-companion ]] || tray=()
for tool in Xvfb dunst dbus-daemon dbus-monitor xdotool; do
  command -v "$tool" >/dev/null || tray=()
done

cd bench
exec python3 -m harness --mode "$mode" --cli "$bin/pmap-cli" --sim "$bin/pmap-sim" \
  --node-peer "$node_peer" --python-peer "$python_peer" --raw-peer "$raw_peer" \
  --allocs "$allocs" "${tray[@]}" "${out[@]}"

#!/usr/bin/env bash
# Runs every check and test: formatting, clippy, unit, conformance and
# end-to-end tests (the latter start real pmap-sim servers on loopback).
# Keyring tests run inside a private D-Bus session with gnome-keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
export PMAP_TEST_STARTED=${PMAP_TEST_STARTED:-$(date +%s)}

bash scripts/setup.sh

echo "== fmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== unused dependencies"
cargo machete
echo "== build"
cargo build --workspace --all-targets --locked
echo "== bench smoke (checks the harness runs; asserts no timings)"
bash bench/run.sh --smoke
echo "== tests"
# A private session bus so keyring tests never touch the user's own keyring.
exec dbus-run-session -- bash scripts/test-in-session.sh "$@"

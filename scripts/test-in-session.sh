#!/usr/bin/env bash
# Inside a private D-Bus session: start an unlocked gnome-keyring with a
# throw-away HOME (an existing login keyring would stay locked), then run
# every test with cargo-nextest (.config/nextest.toml: every binary runs
# even when one fails; heavy tests share one slot).
set -euo pipefail
export HOME_FOR_KEYRING
HOME_FOR_KEYRING=$(mktemp -d)
trap 'rm -rf "$HOME_FOR_KEYRING"' EXIT
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  eval "$(printf 'pmap-test\n' | HOME="$HOME_FOR_KEYRING" XDG_DATA_HOME="$HOME_FOR_KEYRING/.local/share" \
    gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export PMAP_TEST_KEYRING=1
fi
target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
junit="$target/nextest/default/junit.xml"
rm -f "$junit"
# The whole workspace unless the arguments name packages (`-p pmap-cli`).
scope=(--workspace)
for arg in "$@"; do
  case "$arg" in -p | -p* | --package | --package=*) scope=() ;; esac
done
status=0
cargo nextest run "${scope[@]}" --locked --no-fail-fast "$@" || status=$?
if [ -n "${PMAP_TEST_STARTED:-}" ]; then
  echo "make test ran for $(( $(date +%s) - PMAP_TEST_STARTED )) s"
fi
if [ ! -f "$junit" ]; then
  echo "tests: the test binaries did not build or nextest did not start (exit $status)"
  exit "$status"
fi
# One closing line over every test of every binary, computed from the
# JUnit report, with each failure named above it.
awk '
  /<testcase / { total++; match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)
                 match($0, /classname="[^"]*"/); class = substr($0, RSTART + 11, RLENGTH - 12) }
  /<(failure|error)[ >]/ { if (!(class " " name in failed)) { failed[class " " name] = 1; f++; print "failed: " class " " name } }
  END { printf "tests: %d passed, %d failed\n", total - f, f }' "$junit"
exit "$status"

#!/usr/bin/env bash
# Inside a private D-Bus session: start an unlocked gnome-keyring with a
# throw-away HOME (an existing login keyring would stay locked), then test.
set -euo pipefail
export HOME_FOR_KEYRING
HOME_FOR_KEYRING=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$HOME_FOR_KEYRING" "$log"' EXIT
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  eval "$(printf 'pmap-test\n' | HOME="$HOME_FOR_KEYRING" XDG_DATA_HOME="$HOME_FOR_KEYRING/.local/share" \
    gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export PMAP_TEST_KEYRING=1
fi
status=0
cargo test --workspace --locked "$@" 2>&1 | tee "$log" || status=$?
echo "make test ran for $(( $(date +%s) - ${PMAP_TEST_STARTED:-$(date +%s)} )) s"
# One closing line over every test binary (cargo's own last line is the
# last crate's doc tests, often "0 passed").
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"

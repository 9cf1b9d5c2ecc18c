#!/usr/bin/env bash
# Inside a private D-Bus session: start an unlocked gnome-keyring with a
# throw-away HOME (an existing login keyring would stay locked), then test.
set -euo pipefail
export HOME_FOR_KEYRING
HOME_FOR_KEYRING=$(mktemp -d)
trap 'rm -rf "$HOME_FOR_KEYRING"' EXIT
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  eval "$(printf 'pmap-test\n' | HOME="$HOME_FOR_KEYRING" XDG_DATA_HOME="$HOME_FOR_KEYRING/.local/share" \
    gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export PMAP_TEST_KEYRING=1
fi
cargo test --workspace --locked "$@"

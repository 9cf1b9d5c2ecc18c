#!/usr/bin/env bash
# Installs the system packages the project needs, idempotently.
# Runs apt-get as root or through sudo; otherwise prints what to install.
set -euo pipefail

# `--packaging` (make package, make package-test) also installs Tauri's
# bundler (the tauri CLI, from crates.io) and debootstrap; `make test`
# needs neither.
packaging=false
if [ "${1:-}" = "--packaging" ]; then
  packaging=true
fi

# Secret Service for the keyring tests, a private D-Bus session to run it in.
packages=(dbus gnome-keyring libsecret-tools)
# The tray app (Tauri 2 on WebKitGTK) and its headless desktop for tests:
# X server, notification daemon, WebDriver for the webview.
packages+=(libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  pkg-config xvfb xauth dunst dbus-x11 webkit2gtk-driver)
# The validators the desktop entry and AppStream metainfo must pass.
packages+=(desktop-file-utils appstream)
# groff renders the CLI's generated man pages in its test; xdotool reads
# the tray app's windows (mapped? titled?) in its tests.
packages+=(groff-base xdotool)
# `gio launch` starts the autostart entry as a session would, in its test.
packages+=(libglib2.0-bin)
# The bench's tray phase (also in the smoke) plays the panel with a small
# Python StatusNotifierWatcher (tests/app/tray_watcher.py).
packages+=(python3-gi)
if $packaging; then
  packages+=(debootstrap)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is not installed; install Rust from https://rustup.rs and re-run" >&2
  exit 1
fi

# The test runner: one process per test, test groups bound how many heavy
# tests run at once (.config/nextest.toml).
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "setup: installing cargo-nextest (a few minutes, once)" >&2
  cargo install cargo-nextest --locked --quiet
fi

# The lint step's check for dependencies no code uses.
if ! command -v cargo-machete >/dev/null 2>&1; then
  echo "setup: installing cargo-machete" >&2
  cargo install cargo-machete --locked --quiet
fi

# WebDriver front end for the tray app's UI tests (drives WebKitWebDriver).
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver" >&2
  cargo install tauri-driver --locked --quiet
fi

# Tauri's bundler for the .deb and .rpm (a few minutes to build, once).
if $packaging && ! cargo tauri --version >/dev/null 2>&1; then
  echo "setup: installing tauri-cli (a few minutes, once)" >&2
  cargo install tauri-cli --locked --version '^2' --quiet
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "setup: these Debian/Ubuntu packages are missing: ${missing[*]}" >&2
  echo "setup: run as root or install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

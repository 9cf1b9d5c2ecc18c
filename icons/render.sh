#!/usr/bin/env bash
# Renders the PNG icons from their SVG sources.
set -euo pipefail
cd "$(dirname "$0")"
for f in tray tray-reconnecting tray-signed-out tray-paused; do
  rsvg-convert -w 64 -h 64 "$f.svg" -o "$f.png"
done
# The app icon at the hicolor theme's standard sizes (the window uses
# `icon.png`; the packages install every size, and tray.svg as scalable).
for size in 16 24 32 48 64 128 512; do
  rsvg-convert -w "$size" -h "$size" tray.svg -o "${size}x${size}.png"
done
rsvg-convert -w 256 -h 256 tray.svg -o icon.png

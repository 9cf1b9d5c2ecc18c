#!/usr/bin/env bash
# Renders the PNG icons from their SVG sources.
set -euo pipefail
cd "$(dirname "$0")"
for f in tray tray-reconnecting tray-signed-out tray-paused; do
  rsvg-convert -w 64 -h 64 "$f.svg" -o "$f.png"
done
rsvg-convert -w 32 -h 32 tray.svg -o 32x32.png
rsvg-convert -w 128 -h 128 tray.svg -o 128x128.png
rsvg-convert -w 256 -h 256 tray.svg -o icon.png

#!/usr/bin/env bash
# Builds the release .deb and .rpm of PMAP Companion with Tauri's bundler
# (`make package`): the tray app and pmap-cli, with pmap-cli's man pages
# and bash, zsh and fish completions. See docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --packaging

target=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target" ] || { echo "package: cargo metadata named no target directory" >&2; exit 1; }
release="$target/release"

echo "== release build"
# What `cargo tauri build` builds (the app with the `custom-protocol`
# feature), plus the CLI, in one cargo run.
cargo build --release --locked -p pmap-companion -p pmap-cli \
  --features pmap-companion/custom-protocol

echo "== man pages and completions"
stage="$target/package/stage"
rm -rf "$stage"
"$release/pmap-cli" generate-assets "$stage/generated"
mkdir -p "$stage/man1" "$stage/bash" "$stage/zsh" "$stage/fish"
for page in "$stage"/generated/man/*.1; do
  gzip -9n < "$page" > "$stage/man1/$(basename "$page").gz"
done
cp "$stage/generated/completions/pmap-cli.bash" "$stage/bash/pmap-cli"
cp "$stage/generated/completions/_pmap-cli" "$stage/zsh/_pmap-cli"
cp "$stage/generated/completions/pmap-cli.fish" "$stage/fish/pmap-cli.fish"

# The files that live in the target directory, added to the bundle
# config's static ones (tauri.conf.json); Tauri merges this as a JSON
# merge patch.
overlay="$target/package/bundle.conf.json"
files() { # $1: where zsh looks for completions on that distribution
  printf '"files": {
        "/usr/bin/pmap-cli": "%s",
        "/usr/share/man/man1": "%s",
        "/usr/share/bash-completion/completions": "%s",
        "%s": "%s",
        "/usr/share/fish/vendor_completions.d": "%s"
      }' "$release/pmap-cli" "$stage/man1" "$stage/bash" "$1" "$stage/zsh" "$stage/fish"
}
cat > "$overlay" <<JSON
{
  "bundle": {
    "linux": {
      "deb": { $(files /usr/share/zsh/vendor-completions) },
      "rpm": { $(files /usr/share/zsh/site-functions) }
    }
  }
}
JSON

echo "== bundle"
rm -rf "$release/bundle/deb" "$release/bundle/rpm"
cargo tauri bundle --bundles deb,rpm --features custom-protocol --config "$overlay"

echo "== packages"
ls -1 "$release"/bundle/deb/*.deb "$release"/bundle/rpm/*.rpm

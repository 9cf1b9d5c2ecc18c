#!/usr/bin/env bash
# The install test (`make package-test`, as root): a clean Debian 12 root
# from debootstrap; in it, apt installs the .deb `make package` built, so
# its declared dependencies are exactly what comes in; both binaries
# start; `pmap-companion --demo` under Xvfb, D-Bus and dunst raises a
# pop-up seen by dbus-monitor; purging the package (and what it pulled)
# leaves nothing but the user's data. Prints each step's duration.
# See docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "package-test: needs root (debootstrap, chroot, mounts)" >&2
  exit 1
fi
bash scripts/setup.sh --packaging

target=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
version=$(cargo metadata --format-version 1 --no-deps |
  grep -o '"name":"pmap-companion","version":"[^"]*"' | sed 's/.*"version":"\([^"]*\)"/\1/')
deb="$target/release/bundle/deb/pmap-companion_${version}_amd64.deb"
[ -f "$deb" ] || { echo "package-test: no $deb; run make package first" >&2; exit 1; }

work="$target/package-test"
root="$work/root"
mirror=${PMAP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
started=$(date +%s)
step_started=$started

step() {
  local now
  now=$(date +%s)
  if [ -n "${step_name:-}" ]; then
    echo "package-test: ${step_name}: $((now - step_started)) s"
  fi
  step_name=$1
  step_started=$now
  echo "== $1"
}

fail() {
  echo "package-test: FAILED: $*" >&2
  exit 1
}

mounts=(proc sys dev dev/pts)
unmount() {
  local m
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    m="$root/${mounts[i]}"
    if mountpoint -q "$m"; then umount -l "$m"; fi
  done
}
cleanup() {
  unmount
  rm -rf "$root"
}
trap cleanup EXIT

in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

# What a clean system holds, for the comparison after the purge: every
# path but the kernel's, the package manager's own books and caches, logs
# and scratch space.
snapshot() {
  (cd "$root" && find . -xdev \
    \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp \
    -o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg \
    -o -path ./var/log -o -path ./root \) -prune -o -print | sort)
}

step "clean Debian 12 root (debootstrap --variant=minbase)"
cleanup
mkdir -p "$work/cache"
debootstrap --variant=minbase --cache-dir="$work/cache" bookworm "$root" "$mirror" \
  > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
for m in "${mounts[@]}"; do
  case $m in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev) mount --bind /dev "$root/dev" ;;
    dev/pts) mount --bind /dev/pts "$root/dev/pts" ;;
  esac
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No service starts inside the root.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
in_root apt-get update -qq
in_root dpkg-query -W -f '${Package}\n' | sort > "$work/packages-clean"
snapshot > "$work/files-clean"

step "apt install the .deb"
cp "$deb" "$root/tmp/pmap-companion.deb"
in_root apt-get install -y -q /tmp/pmap-companion.deb > "$work/install.log" 2>&1 ||
  { tail -30 "$work/install.log"; fail "apt could not install the package"; }
in_root dpkg-query -W -f '${Package}\n' | sort > "$work/packages-installed"
pulled=$(comm -13 "$work/packages-clean" "$work/packages-installed" | wc -l)
echo "package-test: apt installed $pulled packages (the app and its dependencies)"
in_root dpkg -L pmap-companion > "$work/package-files"

step "both binaries start (every linked library resolves)"
for bin in pmap-cli pmap-companion; do
  missing=$(in_root ldd "/usr/bin/$bin" | grep 'not found' || true)
  [ -z "$missing" ] || fail "$bin links libraries no dependency brought: $missing"
  out=$(in_root "/usr/bin/$bin" --version) || fail "$bin --version"
  [ "$out" = "$bin $version" ] || fail "$bin --version said '$out', not '$bin $version'"
  echo "package-test: $out"
done
for file in /usr/share/applications/pmap-companion.desktop \
  /usr/share/metainfo/io.github.pmap.Companion.metainfo.xml \
  /usr/share/icons/hicolor/48x48/apps/pmap-companion.png \
  /usr/share/icons/hicolor/scalable/apps/pmap-companion.svg \
  /usr/share/man/man1/pmap-cli.1.gz /usr/share/bash-completion/completions/pmap-cli \
  /usr/share/zsh/vendor-completions/_pmap-cli /usr/share/fish/vendor_completions.d/pmap-cli.fish; do
  [ -f "$root$file" ] || fail "the package has no $file"
done

step "pmap-companion --demo raises a pop-up and opens its window (Xvfb, D-Bus, dunst)"
# The test desktop is not the app's: it comes after the checks above, so
# it cannot hide a missing dependency, and is purged with the app.
in_root apt-get install -y -q --no-install-recommends xvfb xauth dbus dbus-x11 dunst x11-utils \
  > "$work/desktop.log" 2>&1 || { tail -30 "$work/desktop.log"; fail "the test desktop"; }
cat > "$root/tmp/demo.sh" <<'SH'
set -eu
export HOME=/home/analyst XDG_RUNTIME_DIR=/run/analyst NO_AT_BRIDGE=1
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" /tmp/.X11-unix
chmod 700 "$XDG_RUNTIME_DIR"
# X's abstract sockets are shared with the host: let Xvfb pick a free
# display and say which.
Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3> /tmp/display 2> /tmp/xvfb.log &
for _ in $(seq 300); do [ -s /tmp/display ] && break; sleep 0.1; done
export DISPLAY=":$(cat /tmp/display)"
dunst > /tmp/dunst.log 2>&1 &
dbus-monitor "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
  > /tmp/monitor.log 2>&1 &
pmap-companion --demo > /tmp/app.log 2>&1 &
app=$!
# The demo's first pop-up comes within seconds; 120 s is a safety net.
for _ in $(seq 1200); do
  grep -q 'member=Notify' /tmp/monitor.log && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
seen=0
grep -q 'member=Notify' /tmp/monitor.log && seen=1
# A second launch asks the running app for its window, which it opens in
# a process of its own (WebKit from the package's dependencies).
window_process_of() {
  for pid in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qx -- --window-process && return 0
  done
  return 1
}
window=0
if [ "$seen" = 1 ]; then
  pmap-companion --demo > /tmp/second.log 2>&1 || true
  for _ in $(seq 1200); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"PMAP Companion' &&
      window_process_of "$app"; then
      window=1
      break
    fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
fi
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
kill $(jobs -p) 2>/dev/null || true
if [ "$seen" = 1 ] && [ "$window" = 1 ]; then
  grep -A8 'member=Notify' /tmp/monitor.log | sed -n 's/^ *string "\(.*\)"$/  Notify: \1/p' | head -4
  echo "  window: $(xwininfo -root -tree | grep -o '"PMAP Companion[^"]*"' | head -1)"
  exit 0
fi
[ "$seen" = 1 ] || echo "no Notify call was seen"
[ "$window" = 1 ] || echo "no window opened on a second launch"
echo "the app's log:"; cat /tmp/app.log
exit 1
SH
in_root dbus-run-session -- sh /tmp/demo.sh || fail "no pop-up or no window from pmap-companion --demo"

step "purge: nothing is left but user data"
user_data=$(cd "$root" && find home/analyst -mindepth 1 -type f | sort)
new=$(comm -13 "$work/packages-clean" <(in_root dpkg-query -W -f '${Package}\n' | sort))
# shellcheck disable=SC2086 # one package name per word
in_root apt-get purge -y -q $new > "$work/purge.log" 2>&1 ||
  { tail -30 "$work/purge.log"; fail "apt could not purge the package"; }
in_root apt-get autoremove --purge -y -q >> "$work/purge.log" 2>&1
in_root dpkg-query -W -f '${Package}\n' | sort > "$work/packages-purged"
cmp -s "$work/packages-clean" "$work/packages-purged" ||
  fail "packages differ from the clean root: $(diff "$work/packages-clean" "$work/packages-purged" | tail -5)"
while read -r path; do
  if [ -e "$root$path" ] && ! [ -d "$root$path" ]; then fail "$path is still there"; fi
done < "$work/package-files"
# Left by the dependencies' maintainer scripts, not by the package:
# systemd's machine id, /etc/mtab link and state, and the backups
# useradd/groupadd keep of the account files (passwd-, shadow-, ...).
system_state='^\./etc/(machine-id|mtab|[a-z]*-)$|^\./var/lib/(systemd|private)(/|$)'
snapshot | grep -v '^./home/analyst' | grep -Ev "$system_state" > "$work/files-purged" || true
if ! grep -Ev "$system_state" "$work/files-clean" | diff - "$work/files-purged" > "$work/files-left"; then
  head -20 "$work/files-left"
  fail "the purge left files behind (above: < gone, > new)"
fi
echo "package-test: left behind, all of it user data:"
echo "${user_data:-  (none)}" | sed 's|^|  /|'

step "done"
echo "package-test: passed in $(($(date +%s) - started)) s"

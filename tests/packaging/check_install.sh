#!/usr/bin/env bash
# `cmake --install` puts the binary, desktop file, icon, AppStream metainfo, README and
# the demo recording where a desktop finds them (the demo replays to its fault); desktop-file-validate and appstreamcli accept them; the
# Debian package CPack makes depends on the Debian runtime libraries and recommends
# openssh-client. Everything happens in a temporary folder.
#
#   check_install.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: check_install.sh BUILD_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in desktop-file-validate appstreamcli dpkg-deb dpkg-shlibdeps cpack; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (packaging/podpath-dev deps installs it)"
done
tmp=$(mktemp -d /tmp/podpath-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# A DESTDIR-like tree, as a package lays it out, so appstreamcli can check it whole.
root=$tmp/root
cmake --install "$build" --prefix "$root/usr" >/dev/null
desktop=share/applications/podpath.desktop
metainfo=share/metainfo/io.podpath.PodPath.metainfo.xml
demo=share/podpath/demo/ipip-ipset-missing-client
files=(bin/podpath "$desktop" share/icons/hicolor/scalable/apps/podpath.svg "$metainfo" share/doc/podpath/README.md share/doc/podpath/LICENSE
       share/doc/podpath/copyright
       "$demo/client.json" "$demo/server.json")
for f in "${files[@]}"; do
  [ -f "$root/usr/$f" ] || fail "usr/$f was not installed"
  echo "installed: usr/$f"
done
"$root/usr/bin/podpath" --version | grep -q '^podpath ' || fail "the installed podpath does not run"
# The demo recording replays through the installed binary to the lab's ipset fault (exit 1: a hop failed).
status=0
out=$("$root/usr/bin/podpath" diagnose --replay "$root/usr/$demo" --quiet --json - 2>/dev/null) || status=$?
[ "$status" = 1 ] || fail "the installed demo did not replay to a failing hop (exit $status)"
grep -q '"SOURCE_NOT_IN_HOSTS_IPSET"' <<<"$out" || fail "the installed demo's diagnosis does not name SOURCE_NOT_IN_HOSTS_IPSET"
grep -Eq '"recorded": ?true' <<<"$out" || fail "the installed demo's diagnosis does not say it is a recording"
echo "demo: usr/$demo replays to SOURCE_NOT_IN_HOSTS_IPSET"
# Test hooks live in the tests' podpath-probed, never in what ships: the installed
# binary names no PODPATH_* environment variable, so it cannot react to one.
[ ! -e "$root/usr/bin/podpath-probed" ] || fail "the test program podpath-probed was installed"
hooks=$(grep -aoE 'PODPATH_[A-Z0-9_]+' "$root/usr/bin/podpath" | sort -u | tr '\n' ' ' || true)
[ -z "$hooks" ] || fail "usr/bin/podpath names test variables: $hooks"
echo "no PODPATH_* variable named in usr/bin/podpath"

# What the desktop file names must be what was installed.
exec=$(sed -n 's/^Exec=//p' "$root/usr/$desktop"); exec=${exec%% *}
icon=$(sed -n 's/^Icon=//p' "$root/usr/$desktop")
[ -x "$root/usr/bin/$exec" ] || fail "Exec=$exec is not in bin/"
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "Icon=$icon is not in the hicolor theme"
grep -q "<launchable type=\"desktop-id\">$(basename "$desktop")</launchable>" "$root/usr/$metainfo" \
  || fail "the metainfo's launchable is not $(basename "$desktop")"

# Hints count as failures too: a clean file prints nothing.
out=$(desktop-file-validate "$root/usr/$desktop" 2>&1) || fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate: $out"
echo "desktop-file-validate: clean"
out=$(appstreamcli validate-tree --no-net "$root" 2>&1) || fail "appstreamcli validate-tree: $out"
echo "appstreamcli validate-tree: ${out//$'\n'/ }"

# The Debian package, built from the same tree.
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/deb" >/dev/null || fail "cpack -G DEB failed"
deb=$(ls "$tmp"/deb/podpath_*.deb) || fail "cpack made no podpath_*.deb"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libqt6widgets6 libqt6core6 libssh-4 libpcap0.8 libqcustomplot2.1-qt6 libspdlog; do
  [[ ", $depends" == *", $p"* ]] || fail "the package does not depend on $p"
done
[[ "$(dpkg-deb -f "$deb" Recommends)" == *openssh-client* ]] || fail "the package does not recommend openssh-client"
[ "$(dpkg-deb -f "$deb" Section)" = net ] || fail "section is not net"
listing=$(dpkg-deb -c "$deb")
for f in "${files[@]}"; do
  grep -q " \./usr/$f\$" <<<"$listing" || fail "usr/$f is not in the package"
done
# The copyright file is DEP-5 and names the same licence as LICENSE (GPL-3 or later).
head -1 "$root/usr/share/doc/podpath/copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  || fail "usr/share/doc/podpath/copyright is not a machine-readable (DEP-5) copyright file"
grep -qx 'License: GPL-3+' "$root/usr/share/doc/podpath/copyright" || fail "the copyright file does not say GPL-3+"
grep -q 'GNU GENERAL PUBLIC LICENSE' "$root/usr/share/doc/podpath/LICENSE" && grep -q 'Version 3, 29 June 2007' "$root/usr/share/doc/podpath/LICENSE" \
  || fail "LICENSE is not the GNU GPL version 3"
echo "copyright: DEP-5, GPL-3+"
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
echo "PASS"

# Sourced by bench/sync.sh: makes (once) and caches the two trees the sync bench lays down and
# upgrades. n = Debian 12 minbase; n+1 = n plus a few packages and a changed config file, so the
# upgrade has new files, changed files (dpkg status, ld.so.cache...) and untouched ones like a real
# point upgrade. Without debootstrap (or the mirror) we fall back to generated trees and say so.

sync_mirror() {
  local m
  m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1)
  [[ -n $m ]] || m=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v security | head -n1)
  echo "${m:-http://deb.debian.org/debian}"
}

# Drops what a build would not ship and what differs run to run, in both trees alike.
sync_clean_tree() {
  local t=$1
  rm -rf "$t"/var/cache/apt/archives/*.deb "$t"/var/cache/apt/*.bin "$t"/var/lib/apt/lists/* \
         "$t"/var/log/apt/* "$t"/usr/sbin/policy-rc.d
  mkdir -p "$t/var/lib/apt/lists/partial"
}

sync_debootstrap_trees() {
  local cache=$1 mirror tarball
  mirror=$(sync_mirror)
  rm -rf "$cache/n.tmp" "$cache/n1.tmp"
  # The image builder keeps a download tarball of minbase; reuse it when there to save the fetch.
  tarball=$(ls -1t "${INGOT_CACHE_DIR:-/var/cache/ingot}"/image-build/debootstrap-bookworm-minbase-*.tgz 2>/dev/null | head -n1 || true)
  if [[ -n $tarball ]]; then
    debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$cache/n.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 || return 1
  else
    debootstrap --variant=minbase bookworm "$cache/n.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 || return 1
  fi
  cp -a "$cache/n.tmp" "$cache/n1.tmp"
  printf '#!/bin/sh\nexit 101\n' >"$cache/n1.tmp/usr/sbin/policy-rc.d"
  chmod 755 "$cache/n1.tmp/usr/sbin/policy-rc.d"
  echo "deb $mirror bookworm main" >"$cache/n1.tmp/etc/apt/sources.list"
  chroot "$cache/n1.tmp" apt-get -q update >>"$cache/debootstrap.log" 2>&1 || return 1
  DEBIAN_FRONTEND=noninteractive chroot "$cache/n1.tmp" apt-get -q -y --no-install-recommends install \
    python3 curl ca-certificates less openssh-client iproute2 >>"$cache/debootstrap.log" 2>&1 || return 1
  # The "changed config file" of the upgrade.
  printf '\n# ingot bench: n+1 config change\nexport HISTSIZE=5000\n' >>"$cache/n1.tmp/etc/bash.bashrc"
  sed -i 's/^#DSHELL=.*/DSHELL=\/bin\/bash/' "$cache/n1.tmp/etc/adduser.conf"
  sync_clean_tree "$cache/n.tmp"
  sync_clean_tree "$cache/n1.tmp"
  mv "$cache/n.tmp" "$cache/n" && mv "$cache/n1.tmp" "$cache/n1"
  echo "debootstrap bookworm minbase from $mirror; n+1 adds python3 curl ca-certificates less openssh-client iproute2, changes etc/bash.bashrc and etc/adduser.conf" >"$cache/source"
}

# Fallback: an OS-shaped tree (many small files, a few big ones), n+1 = n + 25% files + edits.
sync_generated_trees() {
  local cache=$1 i d
  rm -rf "$cache/n.tmp" "$cache/n1.tmp"
  for ((i = 0; i < 5000; i++)); do
    d="$cache/n.tmp/usr/share/d$((i % 97))"
    mkdir -p "$d"
    head -c $(( (RANDOM * 7) % 40000 + 100 )) /dev/urandom | base64 >"$d/f$i"
  done
  mkdir -p "$cache/n.tmp/usr/lib" "$cache/n.tmp/etc"
  for i in 1 2 3 4; do head -c 8000000 /dev/urandom >"$cache/n.tmp/usr/lib/big$i.so"; done
  echo "a=1" >"$cache/n.tmp/etc/app.conf"
  cp -a "$cache/n.tmp" "$cache/n1.tmp"
  for ((i = 5000; i < 6250; i++)); do
    d="$cache/n1.tmp/usr/share/d$((i % 97))"
    head -c $(( (RANDOM * 7) % 40000 + 100 )) /dev/urandom | base64 >"$d/f$i"
  done
  head -c 20000000 /dev/urandom >"$cache/n1.tmp/usr/lib/big5.so"
  echo "a=2" >"$cache/n1.tmp/etc/app.conf"
  mv "$cache/n.tmp" "$cache/n" && mv "$cache/n1.tmp" "$cache/n1"
  echo "GENERATED trees (debootstrap unavailable): 5000 small files + 32 MB, n+1 adds 1250 files + 20 MB, edits one config" >"$cache/source"
}

# sync_trees CACHE: leaves CACHE/n, CACHE/n1 and CACHE/source (one line saying what they are).
sync_trees() {
  local cache=$1
  mkdir -p "$cache"
  [[ -d $cache/n && -d $cache/n1 && -s $cache/source ]] && return 0
  if command -v debootstrap >/dev/null && [[ $EUID -eq 0 ]] && sync_debootstrap_trees "$cache"; then
    return 0
  fi
  echo "bench/sync: debootstrap failed or unavailable (see $cache/debootstrap.log); using generated trees" >&2
  sync_generated_trees "$cache"
}

# The cached trees (sync_trees), made once under a lock: benches running at the same time
# share the cache. Made unlocked when the lock file cannot be made (no cache dir yet).
sync_trees_locked() {  # sync_trees_locked CACHE
  local cache=$1
  flock "$cache.lock" bash -c "source '${BASH_SOURCE[0]}'; sync_trees '$cache'" 2>&1 ||
    { mkdir -p "$cache"; sync_trees "$cache"; }
}

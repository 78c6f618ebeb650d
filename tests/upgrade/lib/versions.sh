# The tiny role's versions for the upgrade test (sourced by upgrade.sh after lib/provision.sh).
# Each is built the way an operator's CI would: `ingot image build roles/tiny --from-tree DIR
# --version N` (the role's keep list applies), from the applied recipe image plus edits.
#   v1  the recipe's tiny + package pkg-b (a program, 2 MiB of data, an obsolete file)
#   v2  pkg-a added; pkg-b upgraded (program changed, 64 KiB of its data changed in place, so a
#       delta pays); /etc/tiny-service.conf changed; pkg-b's obsolete file removed; the image's
#       /etc/hostname, /etc/fstab and /var/lib/tiny/node-id changed too (keep list and node
#       config: a node must keep its own); the role's post hook restarts the service
#   v3  a file under /boot (a reboot); a pre hook that checks the data for a few seconds (the test
#       cuts the power there once: staged, nothing switched); a post hook that migrates data only
#       from v1's format: from v2 it fails after a while (the test cuts the power there too)
# upg_versions: builds all three into $PROV_STATE/images (replacing the recipe's tiny@1).

# upg_random SEED BYTES: deterministic bytes, so two runs build the same images.
upg_random() {
  python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(int(sys.argv[1])).randbytes(int(sys.argv[2])))' "$1" "$2"
}

# _upg_program TREE NAME VERSION: package NAME's program /opt/NAME/bin/NAME (it prints its
# name and VERSION) and its data dir /opt/NAME/share.
_upg_program() {
  mkdir -p "$1/opt/$2/bin" "$1/opt/$2/share"
  printf '#!/bin/sh\necho "%s %s"\n' "$2" "$3" >"$1/opt/$2/bin/$2"
  chmod 755 "$1/opt/$2/bin/$2"
}

_upg_edit_v1() {
  local t=$1
  _upg_program "$t" pkg-b 1.0
  upg_random 1 $((2 << 20)) >"$t/opt/pkg-b/share/data.bin"
  echo "pkg-b 1.x data index (gone in 2.0)" >"$t/opt/pkg-b/share/obsolete.idx"
  echo 1 >"$t/etc/tiny-release"
}

_upg_edit_v2() {
  local t=$1
  _upg_program "$t" pkg-a 1.0
  upg_random 2 $((256 << 10)) >"$t/opt/pkg-a/share/table.dat"
  _upg_program "$t" pkg-b 2.0
  upg_random 3 $((64 << 10)) | dd of="$t/opt/pkg-b/share/data.bin" bs=64K seek=16 conv=notrunc status=none
  rm "$t/opt/pkg-b/share/obsolete.idx"
  printf 'greeting=hello from tiny v2\npackages=pkg-a pkg-b\n' >"$t/etc/tiny-service.conf"
  echo 2 >"$t/etc/tiny-release"
  echo tiny-v2-image >"$t/etc/hostname"
  echo "# tiny v2's own fstab (a node keeps the one its deploy wrote)" >>"$t/etc/fstab"
  mkdir -p "$t/var/lib/tiny"
  echo from-the-v2-image >"$t/var/lib/tiny/node-id"
}

_upg_edit_v3() {
  local t=$1
  echo 3 >"$t/boot/tiny-release"
  echo 3 >"$t/etc/tiny-release"
  printf 'greeting=hello from tiny v3\npackages=pkg-a pkg-b\n' >"$t/etc/tiny-service.conf"
  cat >"$t/usr/lib/ingot/upgrade/post" <<'HOOK'
#!/bin/sh
# tiny v3's post hook: converts the service's data to format 3. The conversion only knows v1's
# format (a release that dropped a migration path): from any other version it fails, and the
# agent rolls the node back. It takes a while either way.
say() { echo "tiny-v3-migration: $*" > /dev/console; }
say "started from=$INGOT_UPGRADE_FROM to=$INGOT_UPGRADE_TO reboot=$INGOT_UPGRADE_REBOOT"
sleep 8
case "$INGOT_UPGRADE_FROM" in
  1) say "converted v1 data" ;;
  *) say "cannot migrate data from v$INGOT_UPGRADE_FROM's format"
     echo "no data migration from v$INGOT_UPGRADE_FROM to v3" >&2
     exit 1 ;;
esac
[ "$INGOT_UPGRADE_REBOOT" = 1 ] || /etc/init.d/tiny-service restart
HOOK
  chmod 755 "$t/usr/lib/ingot/upgrade/post"
  cat >"$t/usr/lib/ingot/upgrade/pre" <<'HOOK'
#!/bin/sh
# tiny v3's pre hook, run from the staged image before anything switches: checks the service's
# data can be read before the conversion; it takes a few seconds.
echo "tiny-v3-pre: started from=$INGOT_UPGRADE_FROM" > /dev/console
sleep 5
echo "tiny-v3-pre: data readable" > /dev/console
HOOK
  chmod 755 "$t/usr/lib/ingot/upgrade/pre"
  cat >"$t/usr/lib/ingot/upgrade.json" <<'JSON'
{
  "pre": "/usr/lib/ingot/upgrade/pre",
  "post": "/usr/lib/ingot/upgrade/post",
  "reboot_paths": ["/boot/", "/lib/modules/", "/usr/lib/modules/"]
}
JSON
}

_upg_build() {
  local v=$1
  "$INGOT_BIN" image build "$PROV_TINY_RECIPE" --from-tree "$UPG_TREES/v$v" --version "$v" --state-dir "$PROV_STATE" \
    >>"$E2E_DIR/versions.log" 2>&1 || { tail -20 "$E2E_DIR/versions.log" >&2; e2e_die "building tiny@$v from its tree failed"; }
  "$INGOT_BIN" image show "tiny@$v" --manifest --state-dir "$PROV_STATE" >"$E2E_DIR/tiny-$v.manifest.json" ||
    e2e_die "ingot image show tiny@$v failed"
}

upg_versions() {
  UPG_TREES=$E2E_DIR/trees
  mkdir -p "$UPG_TREES"
  "$INGOT_BIN" image apply tiny@1 "$UPG_TREES/v1" --state-dir "$PROV_STATE" >"$E2E_DIR/versions.log" 2>&1 ||
    { cat "$E2E_DIR/versions.log" >&2; e2e_die "ingot image apply tiny@1 failed"; }
  mv "$PROV_STATE/images" "$E2E_DIR/recipe-images"
  _upg_edit_v1 "$UPG_TREES/v1"
  _upg_build 1
  cp -a "$UPG_TREES/v1" "$UPG_TREES/v2"
  _upg_edit_v2 "$UPG_TREES/v2"
  _upg_build 2
  cp -a "$UPG_TREES/v2" "$UPG_TREES/v3"
  _upg_edit_v3 "$UPG_TREES/v3"
  _upg_build 3
  rm -rf "$UPG_TREES"
}

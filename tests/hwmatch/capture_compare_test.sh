#!/usr/bin/env bash
# The capture comparison (capture/compare_facts.py) ignores what Debian moves under a fixed
# fixture (kernel version, CPU flags, reserved memory, QEMU's version strings) and still fails
# on every field the fixture controls.
set -euo pipefail
src=${INGOT_SOURCE_DIR:?}
cmp=$src/tests/hwmatch/capture/compare_facts.py
golden=$src/tests/hwmatch/fixtures/2s-nvme-virtio-4nic/facts.json
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ingot-capcmp-$$-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "capture_compare_test: $*" >&2; exit 1; }

# A later kernel and QEMU point release: every moved value differs, the comparison holds.
sed -e 's/"6\.1\.0-[0-9]*-amd64"/"6.1.0-99-amd64"/' -e 's/"pc-i440fx-7\.2"/"pc-i440fx-7.3"/' \
    -e 's/"rev","7\.2\.22"/"rev","7.2.23"/' -e 's/"memory","480374784"/"memory","480000000"/' \
    -e 's/"total","size","1007927296"/"total","size","1007000000"/' -e 's/ 3dnowprefetch vmmcall"/ vmmcall"/' \
    "$golden" > "$tmp/moved.json"
cmp -s "$golden" "$tmp/moved.json" && fail "the edit changed nothing: the sed patterns no longer match the fixture"
python3 "$cmp" "$golden" "$tmp/moved.json" >/dev/null || fail "a moved kernel or QEMU version failed the comparison"

# Each controlled field, changed alone, fails it.
n=0
for edit in 's/"SN-2s-nvme-virtio-4nic"/"SN-other"/' 's/"physical","number","2"/"physical","number","1"/' \
            's/"nvme0n1","size","2"/"nvme0n1","size","3"/' 's/"52:54:00:00:02:03"/"52:54:00:00:02:09"/' \
            's/"bios","version","1\.2\.3"/"bios","version","1.2.4"/' 's/"driver","e1000"/"driver","e1000e"/'; do
  sed "$edit" "$golden" > "$tmp/changed.json"
  cmp -s "$golden" "$tmp/changed.json" && fail "edit '$edit' changed nothing"
  if python3 "$cmp" "$golden" "$tmp/changed.json" >/dev/null; then fail "edit '$edit' passed the comparison"; fi
  n=$((n + 1))
done
# A missing or extra tuple fails too.
head -n -3 "$golden" > "$tmp/short.json"; echo '  ["ingot","detect","missing","ipmi"]]' >> "$tmp/short.json"
python3 "$cmp" "$golden" "$tmp/short.json" >/dev/null && fail "a dropped tuple passed"
echo "capture_compare_test: moved versions ignored, $n controlled edits and a dropped tuple caught"

#!/usr/bin/env bash
# Reproducibility from debootstrap: a minbase recipe (with a user of fixed id, an overlay and a
# hook) built twice, each run doing debootstrap and the recipe, gives byte-identical manifests;
# the normalised tree has no host keys, apt lists, logs or machine id; services never started.
source "$(dirname "$0")/build_lib.sh"
role=$tmp/roles/mini
mkdir -p "$role/overlay/etc/ingot" "$role/hooks"
cat > "$role/recipe.json" <<'JSON'
{"suite": "bookworm", "variant": "minbase", "version": "1",
 "groups": [{"name": "ingot-test", "gid": 990}],
 "users": [{"name": "ingot-test", "uid": 990, "gid": 990, "home": "/var/lib/ingot-test"}],
 "hooks": ["hooks/10-mark.sh"], "keep": ["/etc/hostname", "/etc/ssh/ssh_host_*"]}
JSON
echo "role=mini" > "$role/overlay/etc/ingot/role"
printf '#!/bin/sh\nset -e\nrc=0\n/usr/sbin/policy-rc.d || rc=$?\necho "rc=$rc" > /etc/ingot/hook\n' > "$role/hooks/10-mark.sh"

build "$role" "$tmp/s1" --report "$tmp/r1.json"
build "$role" "$tmp/s2"
cmp "$tmp/s1/images/mini/1/manifest.json" "$tmp/s2/images/mini/1/manifest.json" \
  || { diff <(tr ',' '\n' <"$tmp/s1/images/mini/1/manifest.json") <(tr ',' '\n' <"$tmp/s2/images/mini/1/manifest.json") | head -30; fail "two builds differ"; }

[[ $(content "$tmp/s1" mini@1 etc/ingot/hook) == "rc=101" ]] || fail "hook did not see policy-rc.d forbidding services"
[[ $(content "$tmp/s1" mini@1 etc/ingot/role) == "role=mini" ]] || fail "overlay missing"
content "$tmp/s1" mini@1 etc/passwd | grep -q '^ingot-test:x:990:990:' || fail "user ingot-test lacks its declared ids"
[[ $(content "$tmp/s1" mini@1 etc/hostname) == "localhost" ]] || fail "build host name leaked"
[[ -z $(content "$tmp/s1" mini@1 etc/machine-id) ]] || fail "machine-id not emptied"
has_path "$tmp/s1" mini@1 usr/sbin/policy-rc.d && fail "policy-rc.d left in the image"
"$ingot" image show mini@1 --store "$tmp/s1" --manifest | grep -E '"path":"(var/lib/apt/lists/[^"]*_|var/log/[^"]*","type":"file|var/cache/apt/[^"]*\.bin)' \
  && fail "caches, lists or logs left in the image"
grep -q '"packages"' "$tmp/r1.json" && grep -q '"dpkg"' "$tmp/r1.json" || fail "report lacks the package list"
"$ingot" image verify mini@1 --store "$tmp/s1" --pubkey "$tmp/keys/image-signing.pub" 2>/dev/null || fail "verify"
echo "debootstrap reproducibility: ok"

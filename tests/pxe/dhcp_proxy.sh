#!/bin/bash
# ProxyDHCP: a PXE DISCOVER (built with ingot's codec by dhcp_probe, sent from inside the
# client netns) gets a proxy offer with boot file and next-server; a non-PXE DISCOVER gets
# nothing; the port 4011 boot server REQUEST gets an ACK; iPXE gets the script and 175.176.
source "$(dirname "$0")/dhcp_test_lib.sh"
PROBE=${1:?usage: dhcp_proxy.sh PATH_TO_dhcp_probe}
dhcp_netns_setup 51
in_client ip addr add 198.18.51.2/24 dev veth-c
cat >"$WORK/policy.json" <<JSON
{"default": {"kernel": "vmlinuz", "initrd": ["initrd.img"]},
 "machines": {"02:00:00:00:51:99": {"action": "ignore"}}}
JSON
start_ingot --dhcp proxy --interface veth-s --listen "$SUBNET.1" --boot-policy "$WORK/policy.json" --http-port 0
probe() { in_client "$PROBE" --device veth-c "$@"; }
expect() { grep -qx "$1" <<<"$2" || fail "expected '$1' in: $2"; }

out=$(probe --type discover --mac 02:00:00:00:51:01 --pxe-arch 0) || fail "BIOS PXE DISCOVER: $out"
expect "type=OFFER" "$out"
expect "yiaddr=0.0.0.0" "$out"
expect "file=undionly.kpxe" "$out"
expect "siaddr=$SUBNET.1" "$out"
expect "server_id=$SUBNET.1" "$out"
expect "vendor_class=PXEClient" "$out"
grep -q "^opt43=060108" <<<"$out" || fail "no PXE discovery control in option 43: $out"
grep -q "^opt97=0078563412" <<<"$out" || fail "client GUID not echoed: $out"

out=$(probe --type discover --mac 02:00:00:00:51:02 --pxe-arch 7 --ipxe) || fail "iPXE DISCOVER: $out"
expect "type=OFFER" "$out"
grep -qx "file=http://$SUBNET.1:[0-9]*/boot.ipxe" <<<"$out" || fail "iPXE did not get the script URL: $out"
expect "siaddr=$SUBNET.1" "$out"
expect "opt175=b00101ff" "$out"

if out=$(probe --type discover --mac 02:00:00:00:51:03 --timeout-ms 1500); then
  fail "a non-PXE DISCOVER got an answer: $out"
fi
if out=$(probe --type discover --mac 02:00:00:00:51:99 --pxe-arch 0 --timeout-ms 1500); then
  fail "a machine the policy ignores got an answer: $out"
fi

out=$(probe --type request --mac 02:00:00:00:51:04 --pxe-arch 7 --bind 198.18.51.2:68 \
  --to "$SUBNET.1:4011" --ciaddr 198.18.51.2) || fail "4011 REQUEST: $out"
expect "type=ACK" "$out"
expect "file=ipxe.efi" "$out"
expect "siaddr=$SUBNET.1" "$out"

grep -q "02:00:00:00:51:01 arch 0 PXE.*proxy offer, boot undionly.kpxe" "$WORK/ingot.log" || fail "log lacks the BIOS client"
grep -q "02:00:00:00:51:99 .*no answer (silent (policy))" "$WORK/ingot.log" || fail "log lacks the silent client"
echo "PASS: proxy offers, 4011 ACK, silence for non-PXE and ignored machines"

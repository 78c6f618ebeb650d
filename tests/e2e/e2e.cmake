# End-to-end tests: real firmware (QEMU SeaBIOS + iPXE ROM, OVMF) network-booting from a server
# in a network namespace the test creates. Root, qemu-system-x86 and Debian's kernel (fetched
# once into /var/cache/ingot) are needed. RUN_SERIAL: a TCG machine wants a whole core, and two
# at once on the 2-core CI machine would double every boot time.
set(_e2e ${CMAKE_CURRENT_LIST_DIR})

# The harness itself against reference servers (dnsmasq DHCP+TFTP, busybox httpd): when this
# passes and an ingot test fails, the fault is ingot's.
ingot_script_test(e2e_harness_peer_bios SCRIPT ${_e2e}/pxe_boot.sh ARGS bios full peer
  LABEL e2e RUN_SERIAL TIMEOUT 300)

# Issue 3, acceptance 3: real firmware boots from `ingot serve` (DHCP, TFTP, HTTP, the static
# boot policy). Quiet-machine timings under TCG: BIOS ~15 s, UEFI ~30 s; the timeouts allow a
# busy 2-core machine.
ingot_script_test(e2e_pxe_bios_full SCRIPT ${_e2e}/pxe_boot.sh ARGS bios full
  LABEL e2e RUN_SERIAL TIMEOUT 300)
ingot_script_test(e2e_pxe_uefi_full SCRIPT ${_e2e}/pxe_boot.sh ARGS uefi full
  LABEL e2e RUN_SERIAL TIMEOUT 300)
# ProxyDHCP next to dnsmasq, which hands out the addresses.
ingot_script_test(e2e_pxe_bios_proxy SCRIPT ${_e2e}/pxe_boot.sh ARGS bios proxy
  LABEL e2e RUN_SERIAL TIMEOUT 300)

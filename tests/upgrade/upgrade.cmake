# Issue 8 acceptance in QEMU: two machines deployed with tiny@1 through their BMCs, then upgraded
# image-to-image by rollouts and `ingot node upgrade` (v2, a failing v3, a power cut mid-upgrade,
# v1 -> v3, v3 -> v2), disks checked against the manifests. RUN_SERIAL: two TCG guests fill the
# 2-core machine. The timeout leaves room on a busy machine; the run takes ~5 min on a quiet one.
ingot_script_test(upgrade_qemu SCRIPT ${CMAKE_CURRENT_LIST_DIR}/upgrade.sh
  LABEL upgrade RUN_SERIAL TIMEOUT 1200)

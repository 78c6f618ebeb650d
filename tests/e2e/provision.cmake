# End-to-end provisioning (issue 7): two QEMU machines behind ipmi_sim BMCs, deployed through
# `ingot node add/deploy` from `ingot serve`, boot from disk and call back. RUN_SERIAL for the
# same reason as e2e.cmake (two TCG guests already fill the 2-core CI machine).
ingot_script_test(e2e_provision SCRIPT ${CMAKE_CURRENT_LIST_DIR}/provision.sh
  LABEL e2e RUN_SERIAL TIMEOUT 900)
# Faults: a machine matching no role fails at `match` with the reasons; a wrong BMC password
# fails that node at `power` only.
ingot_script_test(e2e_provision_faults SCRIPT ${CMAKE_CURRENT_LIST_DIR}/provision_faults.sh
  LABEL e2e RUN_SERIAL TIMEOUT 600)

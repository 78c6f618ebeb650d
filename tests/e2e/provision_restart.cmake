# Issue 7, acceptance 3: `ingot serve` killed (SIGKILL) during a node's image sync and started
# again on the same state dir; the deploy still finishes. One BIOS machine, ~90 s under TCG;
# RUN_SERIAL like the other e2e tests (a TCG guest wants a whole core).
ingot_script_test(e2e_provision_restart SCRIPT ${CMAKE_CURRENT_LIST_DIR}/provision_restart.sh
  LABEL e2e RUN_SERIAL TIMEOUT 300)

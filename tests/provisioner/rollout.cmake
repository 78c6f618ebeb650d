# Image-based upgrades, server side (issue 8): the rollout machine and the dry-run planner as
# units; the upgrade API over real HTTP against `ingot serve` + SQLite with curl as the agent.
ingot_doctest(test_rollout_unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rollout_machine_test.cpp ${CMAKE_CURRENT_LIST_DIR}/upgrade_dry_run_test.cpp
  LIBS ingot::server LABEL unit)
ingot_script_test(test_rollout_api SCRIPT ${CMAKE_CURRENT_LIST_DIR}/rollout_api.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_rollout_flow SCRIPT ${CMAKE_CURRENT_LIST_DIR}/rollout_flow.sh LABEL integration TIMEOUT 180)
ingot_script_test(test_rollout_agent SCRIPT ${CMAKE_CURRENT_LIST_DIR}/rollout_agent.sh LABEL integration TIMEOUT 180)
ingot_fuzz_target(fuzz_rollout_api SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_rollout_api.cpp
  LIBS ingot::server CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/rollout)

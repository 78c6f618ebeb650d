ingot_doctest(test_upgrade_plan SOURCES ${CMAKE_CURRENT_LIST_DIR}/upgrade_plan_test.cpp
  LIBS ingot::image ingot::agent LABEL unit)
ingot_script_test(test_agent_upgrade SCRIPT ${CMAKE_CURRENT_LIST_DIR}/upgrade.sh LABEL integration TIMEOUT 300)
ingot_script_test(test_agent_upgrade_kill SCRIPT ${CMAKE_CURRENT_LIST_DIR}/upgrade_kill.sh LABEL integration TIMEOUT 600)
ingot_script_test(test_agent_upgrade_loop SCRIPT ${CMAKE_CURRENT_LIST_DIR}/upgrade_loop.sh LABEL integration TIMEOUT 300)

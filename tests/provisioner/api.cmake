# The provisioner's REST API over real HTTP: `ingot serve --roles tests/provisioner/api_roles` on
# a free loopback port, curl and the `ingot` CLI as clients, OpenIPMI's ipmi_sim as the BMC.
ingot_script_test(test_api_auth SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_auth.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_flow SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_flow.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_restart SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_restart.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_events SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_events.sh LABEL integration TIMEOUT 120)

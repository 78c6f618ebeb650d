# The provisioner's REST API over real HTTP: `ingot serve --roles tests/provisioner/api_roles` on
# a free loopback port, curl and the `ingot` CLI as clients, OpenIPMI's ipmi_sim as the BMC.
ingot_script_test(test_api_auth SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_auth.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_flow SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_flow.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_restart SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_restart.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_events SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_events.sh LABEL integration TIMEOUT 120)
# Decisions written whole: a match whose database write fails (a full tmpfs) answers 500 and
# leaves the node as it was; reservations expire after --reservation-ttl.
ingot_script_test(test_api_db_fault SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_db_fault.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_api_reservation_ttl SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_reservation_ttl.sh LABEL integration TIMEOUT 120)
# Hostile JSON (300,000 levels) to every JSON route, with and without tokens (issue 13, item 1).
ingot_script_test(test_api_hostile_json SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_hostile_json.sh LABEL integration TIMEOUT 180)
# Secrets at rest: modes, no clear BMC password under the state dir, legacy clear ones sealed.
ingot_script_test(test_api_secrets_at_rest SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_secrets_at_rest.sh LABEL integration TIMEOUT 120)
# Discovery: off by default, capped when on, nothing reserved until approval.
ingot_script_test(test_api_discovery SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_discovery.sh LABEL integration TIMEOUT 180)
# Auth on the head before any body is read; the API's body limit (issue 13, item 7).
ingot_script_test(test_api_body_gate SCRIPT ${CMAKE_CURRENT_LIST_DIR}/api_body_gate.sh LABEL integration TIMEOUT 120)

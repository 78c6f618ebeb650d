# Power control: BMC address parsing, the call pool and async service (unit, over a fake driver),
# the IPMI driver and `ingot power` against OpenIPMI's ipmi_sim started by the test (integration).
ingot_doctest(test_power_unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/power_address_test.cpp ${CMAKE_CURRENT_LIST_DIR}/power_service_test.cpp
  LIBS ingot::power LABEL unit TIMEOUT 60)
ingot_doctest(test_power_ipmi SOURCES ${CMAKE_CURRENT_LIST_DIR}/power_ipmi_test.cpp
  LIBS ingot::power LABEL integration TIMEOUT 120)
ingot_script_test(test_power_cli SCRIPT ${CMAKE_CURRENT_LIST_DIR}/power_cli.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_power_qemu SCRIPT ${CMAKE_CURRENT_LIST_DIR}/power_qemu.sh LABEL integration TIMEOUT 120)
ingot_fuzz_target(fuzz_power_bmc_address SOURCE ${CMAKE_CURRENT_LIST_DIR}/power_address_fuzz.cpp
  LIBS ingot::power CORPUS ${CMAKE_CURRENT_LIST_DIR}/power_corpus/bmc_address)

# DHCPv4: codec (golden captures, round trip, malformed input), lease store, responders, the
# loopback shell, a fuzz target, and integration tests with busybox udhcpc in network namespaces.
set(dhcp_dir ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_dhcp_codec SOURCES ${dhcp_dir}/dhcp_codec_test.cpp LIBS ingot::pxe LABEL unit)
ingot_doctest(test_dhcp_lease SOURCES ${dhcp_dir}/dhcp_lease_test.cpp LIBS ingot::pxe LABEL unit)
ingot_doctest(test_dhcp_responder SOURCES ${dhcp_dir}/dhcp_responder_test.cpp LIBS ingot::pxe LABEL unit)
ingot_doctest(test_dhcp_server SOURCES ${dhcp_dir}/dhcp_server_test.cpp LIBS ingot::pxe LABEL unit)
ingot_fuzz_target(fuzz_dhcp SOURCE ${dhcp_dir}/dhcp_fuzz.cpp LIBS ingot::pxe CORPUS ${dhcp_dir}/corpus/dhcp)

add_executable(dhcp_probe ${dhcp_dir}/dhcp_probe.cpp)
ingot_target_defaults(dhcp_probe)
target_link_libraries(dhcp_probe PRIVATE ingot::pxe)

ingot_script_test(dhcp_udhcpc SCRIPT ${dhcp_dir}/dhcp_udhcpc.sh LABEL integration TIMEOUT 120)
ingot_script_test(dhcp_proxy SCRIPT ${dhcp_dir}/dhcp_proxy.sh ARGS $<TARGET_FILE:dhcp_probe> LABEL integration TIMEOUT 120)
ingot_script_test(dhcp_relay SCRIPT ${dhcp_dir}/dhcp_relay.sh ARGS $<TARGET_FILE:dhcp_probe> LABEL integration TIMEOUT 60)

# The relay-agent load generator behind bench/dhcp.sh.
add_executable(dhcp_load ${dhcp_dir}/dhcp_load.cpp)
ingot_target_defaults(dhcp_load)
target_link_libraries(dhcp_load PRIVATE ingot::pxe)
ingot_script_test(dhcp_flags SCRIPT ${dhcp_dir}/dhcp_flags.sh LABEL integration TIMEOUT 60)

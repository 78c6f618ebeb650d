# provisioner/ by side: the agent's link line holds none of the server's libraries; one file
# each creates libcurl handles and calls zstd's compressor (reads build.ninja and the sources).
ingot_script_test(test_provisioner_link_sides SCRIPT ${CMAKE_CURRENT_LIST_DIR}/link_sides_test.sh LABEL unit)

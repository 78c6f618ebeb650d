ingot_script_test(test_ramdisk_boot SCRIPT ${CMAKE_CURRENT_LIST_DIR}/ramdisk_boot.sh
  LABEL e2e TIMEOUT 600 RUN_SERIAL)

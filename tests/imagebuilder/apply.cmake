ingot_script_test(test_image_apply SCRIPT ${CMAKE_CURRENT_LIST_DIR}/apply.sh LABEL integration TIMEOUT 300)

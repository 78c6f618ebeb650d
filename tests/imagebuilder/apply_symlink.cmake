# `ingot image apply` keeps absolute and relative symlinks (found by the e2e provisioning test).
ingot_script_test(test_image_apply_symlinks SCRIPT ${CMAKE_CURRENT_LIST_DIR}/apply_symlink_test.sh LABEL integration)

# imagebuilder: manifest, store, signing, recipes and builds (the sync engine has its own file).
set(_ib ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_image_manifest SOURCES ${_ib}/manifest_test.cpp ${_ib}/manifest_hostile_test.cpp
  LIBS ingot::image LABEL unit)
ingot_doctest(test_image_store SOURCES ${_ib}/store_test.cpp ${_ib}/sign_test.cpp
  LIBS ingot::image LABEL unit)
ingot_fuzz_target(fuzz_image_manifest SOURCE ${_ib}/manifest_fuzz.cpp LIBS ingot::image CORPUS ${_ib}/corpus/manifest)
ingot_doctest(test_image_build SOURCES ${_ib}/build_scan_test.cpp ${_ib}/recipe_test.cpp LIBS ingot::image LABEL unit)
ingot_script_test(test_image_store_cli SCRIPT ${_ib}/store_cli_test.sh LABEL unit TIMEOUT 120)
# Recipe builds against the configured Debian mirror (skipped, exit 77, when it is unreachable).
ingot_script_test(test_image_build_tiny SCRIPT ${_ib}/build_tiny_test.sh LABEL integration TIMEOUT 600 RUN_SERIAL)
ingot_script_test(test_image_build_debootstrap SCRIPT ${_ib}/build_debootstrap_test.sh LABEL integration TIMEOUT 900 RUN_SERIAL)
set_tests_properties(test_image_build_tiny test_image_build_debootstrap PROPERTIES SKIP_RETURN_CODE 77)

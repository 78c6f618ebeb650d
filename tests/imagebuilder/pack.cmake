# Object packs (POST /images/v1/objects/pack) and the parallel, packed HTTP fetch of apply.
set(_ibp ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_image_pack SOURCES ${_ibp}/pack_test.cpp LIBS ingot::image LABEL unit)
ingot_fuzz_target(fuzz_image_pack SOURCE ${_ibp}/pack_fuzz.cpp LIBS ingot::image CORPUS ${_ibp}/corpus/pack)
ingot_script_test(test_image_apply_packs SCRIPT ${_ibp}/apply_packs_test.sh LABEL integration TIMEOUT 240)

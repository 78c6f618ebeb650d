# Deltas (librsync) and drift detection: codec, store, fetch fallbacks; the CLI and HTTP
# route against `ingot serve` and curl.
set(_ibd ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_image_delta SOURCES ${_ibd}/delta_test.cpp LIBS ingot::image LABEL unit)
ingot_script_test(test_image_drift SCRIPT ${_ibd}/drift_test.sh LABEL integration TIMEOUT 120)
ingot_script_test(test_image_delta_serve SCRIPT ${_ibd}/delta_serve_test.sh LABEL integration TIMEOUT 180)
ingot_fuzz_target(fuzz_image_delta SOURCE ${_ibd}/delta_fuzz.cpp LIBS ingot::image CORPUS ${_ibd}/corpus/delta)

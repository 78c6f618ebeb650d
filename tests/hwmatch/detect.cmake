# Hardware detection: golden facts per captured fixture tree, the live machine, malformed
# trees; the SMBIOS decoder with synthetic tables and a replayed fuzz corpus.
ingot_doctest(test_hwmatch_detect
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/detect_test.cpp ${CMAKE_CURRENT_LIST_DIR}/detect_malformed_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/smbios_test.cpp
  LIBS ingot::hwmatch LABEL unit)
ingot_fuzz_target(fuzz_hwmatch_smbios SOURCE ${CMAKE_CURRENT_LIST_DIR}/smbios_fuzz.cpp LIBS ingot::hwmatch
  CORPUS ${CMAKE_CURRENT_LIST_DIR}/smbios_corpus)
# Boots QEMU (TCG, ~20 s) to recapture a fixture; needs Debian's kernel in the cache.
ingot_script_test(test_hwmatch_detect_capture SCRIPT ${CMAKE_CURRENT_LIST_DIR}/detect_capture_test.sh
  LABEL integration TIMEOUT 400)
# What the capture comparison masks and what it still catches (no QEMU).
ingot_script_test(test_hwmatch_capture_compare SCRIPT ${CMAKE_CURRENT_LIST_DIR}/capture_compare_test.sh LABEL unit)

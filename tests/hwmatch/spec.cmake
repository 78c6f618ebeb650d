# Spec language, matching, explain, role selection and eDeploy import (hwmatch/ spec side).
set(hw_spec_dir ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_hwmatch_spec
  SOURCES ${hw_spec_dir}/spec_parser_test.cpp ${hw_spec_dir}/match_test.cpp ${hw_spec_dir}/explain_test.cpp ${hw_spec_dir}/select_test.cpp ${hw_spec_dir}/edeploy_test.cpp
  LIBS ingot::hwmatch LABEL unit)
ingot_script_test(test_hwmatch_match_cli SCRIPT ${hw_spec_dir}/match_cli_test.sh LABEL unit TIMEOUT 60)
ingot_fuzz_target(fuzz_hwmatch_spec SOURCE ${hw_spec_dir}/spec_fuzz.cpp LIBS ingot::hwmatch CORPUS ${hw_spec_dir}/corpus/spec)
ingot_fuzz_target(fuzz_hwmatch_facts SOURCE ${hw_spec_dir}/facts_fuzz.cpp LIBS ingot::hwmatch CORPUS ${hw_spec_dir}/corpus/facts)
# Not a test: the matcher benchmark bench/match.sh runs (speed is measured there, never asserted).
add_executable(hwmatch_match_bench ${PROJECT_SOURCE_DIR}/bench/match_bench.cpp)
ingot_target_defaults(hwmatch_match_bench)
target_link_libraries(hwmatch_match_bench PRIVATE ingot::hwmatch)

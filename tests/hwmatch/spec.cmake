# Spec language, matching, explain, role selection and eDeploy import (hwmatch/ spec side).
set(hw_spec_dir ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_hwmatch_spec
  SOURCES ${hw_spec_dir}/spec_parser_test.cpp ${hw_spec_dir}/match_test.cpp ${hw_spec_dir}/explain_test.cpp ${hw_spec_dir}/select_test.cpp ${hw_spec_dir}/edeploy_test.cpp
  LIBS ingot::hwmatch LABEL unit)
ingot_script_test(test_hwmatch_match_cli SCRIPT ${hw_spec_dir}/match_cli_test.sh LABEL unit TIMEOUT 60)

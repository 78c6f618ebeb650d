ingot_doctest(test_agent_cmdline SOURCES ${CMAKE_CURRENT_LIST_DIR}/kernel_cmdline_test.cpp
  LIBS ingot::agent LABEL unit)
ingot_fuzz_target(fuzz_kernel_cmdline SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_kernel_cmdline.cpp
  LIBS ingot::agent CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/cmdline)
ingot_fuzz_target(fuzz_api SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_api.cpp
  LIBS ingot::server CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/api)

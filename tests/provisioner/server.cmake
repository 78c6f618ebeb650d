ingot_doctest(test_provisioner_core SOURCES ${CMAKE_CURRENT_LIST_DIR}/provisioner_core_test.cpp
  LIBS ingot::server LABEL unit)

ingot_doctest(test_provisioner_policy SOURCES ${CMAKE_CURRENT_LIST_DIR}/provisioner_policy_test.cpp
  LIBS ingot::server ingot::agent LABEL unit)

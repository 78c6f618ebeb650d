ingot_doctest(test_node_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/node_config_test.cpp
  LIBS ingot::server LABEL unit)

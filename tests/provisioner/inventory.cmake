ingot_doctest(test_inventory
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/inventory_test.cpp ${CMAKE_CURRENT_LIST_DIR}/node_state_test.cpp
  LIBS ingot::server LABEL unit)

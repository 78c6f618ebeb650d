ingot_doctest(test_agent_disk SOURCES ${CMAKE_CURRENT_LIST_DIR}/agent_disk_test.cpp
  LIBS ingot::agent LABEL unit)

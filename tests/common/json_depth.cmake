ingot_doctest(test_json_depth SOURCES ${CMAKE_CURRENT_LIST_DIR}/json_depth_test.cpp LIBS ingot::common LABEL unit)

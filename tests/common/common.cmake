ingot_doctest(test_common SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_common.cpp ${CMAKE_CURRENT_LIST_DIR}/error_category_test.cpp
  LIBS ingot::common LABEL unit)

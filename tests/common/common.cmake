ingot_doctest(test_common SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_common.cpp LIBS ingot::common LABEL unit)

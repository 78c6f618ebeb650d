ingot_doctest(test_secret_box SOURCES ${CMAKE_CURRENT_LIST_DIR}/secret_box_test.cpp LIBS ingot::server LABEL unit)

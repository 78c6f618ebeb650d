# Recipes with "ingot_agent": a host program carried into a role tree with its shared libraries.
ingot_doctest(test_image_host_program SOURCES ${CMAKE_CURRENT_LIST_DIR}/host_program_test.cpp LIBS ingot::image LABEL unit)

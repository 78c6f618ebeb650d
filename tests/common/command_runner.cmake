# The one argv command runner both the agent and the image builder use.
ingot_doctest(test_command_runner SOURCES ${CMAKE_CURRENT_LIST_DIR}/command_runner_test.cpp
  LIBS ingot::common LABEL unit)

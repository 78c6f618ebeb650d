# Test helpers. Every test carries exactly one kind label: unit, integration, e2e or upgrade,
# so `ctest -L e2e` runs one kind.

# ingot_doctest(NAME SOURCES a.cpp b.cpp LIBS ingot::pxe LABEL unit [TIMEOUT s])
function(ingot_doctest name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  ingot_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ingot_test_support ${ARG_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "INGOT_SOURCE_DIR=${PROJECT_SOURCE_DIR};INGOT_BIN=$<TARGET_FILE:ingot>;INGOT_AGENT_BIN=$<TARGET_FILE:ingot-agent>")
endfunction()

# ingot_script_test(NAME SCRIPT path.sh LABEL integration [TIMEOUT s] [RUN_SERIAL])
# Scripts get the built binaries and the source tree through the environment.
function(ingot_script_test name)
  cmake_parse_arguments(ARG "RUN_SERIAL" "SCRIPT;LABEL;TIMEOUT" "ARGS" ${ARGN})
  add_test(NAME ${name} COMMAND bash ${ARG_SCRIPT} ${ARG_ARGS})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
    RUN_SERIAL ${ARG_RUN_SERIAL}
    ENVIRONMENT "INGOT_SOURCE_DIR=${PROJECT_SOURCE_DIR};INGOT_BUILD_DIR=${PROJECT_BINARY_DIR};INGOT_BIN=$<TARGET_FILE:ingot>;INGOT_AGENT_BIN=$<TARGET_FILE:ingot-agent>")
endfunction()

# ingot_fuzz_target(NAME SOURCE fuzz.cpp LIBS ingot::pxe CORPUS dir)
# With INGOT_FUZZ=ON (clang) it is a libFuzzer binary; otherwise it links a replay main, and
# ctest replays the corpus, so every fuzz find kept in the corpus is a regression test.
function(ingot_fuzz_target name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS" "LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCE})
  ingot_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  if(INGOT_FUZZ)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    target_link_libraries(${name} PRIVATE ingot_fuzz_replay)
  endif()
  add_test(NAME ${name}_corpus COMMAND ${name} ${ARG_CORPUS})
  set_tests_properties(${name}_corpus PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

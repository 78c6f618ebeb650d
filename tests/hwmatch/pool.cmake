# Allocation pools: eDeploy-style generators, pools files, allocation through a store
# (in-memory and fakes), exhaustion, idempotence, release, pre-assigned entries.
ingot_doctest(test_hwmatch_pool
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/pool_range_test.cpp ${CMAKE_CURRENT_LIST_DIR}/pool_allocator_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/pool_selection_test.cpp
  LIBS ingot::hwmatch LABEL unit)
ingot_fuzz_target(fuzz_hwmatch_pool_config SOURCE ${CMAKE_CURRENT_LIST_DIR}/pool_fuzz.cpp LIBS ingot::hwmatch
  CORPUS ${CMAKE_CURRENT_LIST_DIR}/pool_corpus)

ingot_doctest(test_manifest_encoding SOURCES ${CMAKE_CURRENT_LIST_DIR}/manifest_encoding_test.cpp
  LIBS ingot::server PkgConfig::ZSTD LABEL unit)

# The one cpio (newc) writer and the reproducible initramfs over it, read back by GNU cpio and zstd.
ingot_doctest(test_cpio_writer SOURCES ${CMAKE_CURRENT_LIST_DIR}/cpio_writer_test.cpp
  LIBS ingot::image LABEL integration)

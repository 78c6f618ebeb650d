# The one HTTP client (libcurl) and the REST API client over it, against an in-process HttpServer
# on 127.0.0.1:0 (pxe/), with zstd-coded answers from the image codec.
ingot_doctest(test_http_client SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_client_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_client_test.cpp
  LIBS ingot::common ingot::pxe ingot::image LABEL unit TIMEOUT 60)

# HTTP boot server: codec units, iPXE script generation, curl against `ingot serve`, fuzz replay.
set(_http_dir ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_http_codec SOURCES ${_http_dir}/http_codec_test.cpp LIBS ingot::pxe LABEL unit)
ingot_doctest(test_ipxe_script SOURCES ${_http_dir}/ipxe_script_test.cpp LIBS ingot::pxe LABEL unit)
ingot_doctest(test_http_server SOURCES ${_http_dir}/http_server_test.cpp LIBS ingot::pxe LABEL integration TIMEOUT 60)
ingot_script_test(test_http_serve SCRIPT ${_http_dir}/http_serve_test.sh LABEL integration TIMEOUT 120)
ingot_fuzz_target(fuzz_http_request SOURCE ${_http_dir}/http_fuzz.cpp LIBS ingot::pxe CORPUS ${_http_dir}/corpus/http)

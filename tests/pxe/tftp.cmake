# TFTP: codec and negotiation units, fuzz corpus, protocol checks against `ingot serve`, real
# clients (curl, atftp, tftp-hpa) on loopback, and loss inside a test namespace.
set(_tftp ${CMAKE_CURRENT_LIST_DIR})
ingot_doctest(test_tftp_codec SOURCES ${_tftp}/tftp_codec_test.cpp LIBS ingot::pxe LABEL unit)
ingot_doctest(test_tftp_negotiate SOURCES ${_tftp}/tftp_negotiate_test.cpp LIBS ingot::pxe LABEL unit)
ingot_fuzz_target(fuzz_tftp SOURCE ${_tftp}/tftp_fuzz.cpp LIBS ingot::pxe CORPUS ${_tftp}/corpus/tftp)
ingot_doctest(test_tftp_server SOURCES ${_tftp}/tftp_server_test.cpp LIBS ingot::pxe LABEL integration TIMEOUT 60)
ingot_script_test(test_tftp_clients SCRIPT ${_tftp}/tftp_clients.sh LABEL integration TIMEOUT 180)
ingot_script_test(test_tftp_loss SCRIPT ${_tftp}/tftp_loss.sh LABEL integration TIMEOUT 180)

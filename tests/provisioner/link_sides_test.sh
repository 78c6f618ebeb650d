#!/usr/bin/env bash
# provisioner/ is split by side (provisioner/CMakeLists.txt): the node agent's program links
# neither SQLite, FreeIPMI nor the boot plane (pxe), nor the server's or power's libraries; the
# server's does (the control that this reads real link lines). One wrapper per C library:
# libcurl handles are created in one file, zstd compression is called from one file.
set -euo pipefail
src=${INGOT_SOURCE_DIR:?}
build=${INGOT_BUILD_DIR:?}
fail() { echo "link_sides_test: $*" >&2; exit 1; }

# link_line TARGET_PATH: the LINK_LIBRARIES of the ninja build statement for that output.
link_line() {
  awk -v out="build $1:" 'index($0, out) == 1 {found = 1; next}
                          found && /^  LINK_LIBRARIES = / {print; exit}
                          found && /^build / {exit}' "$build/build.ninja"
}
agent=$(link_line provisioner/ingot-agent)
server=$(link_line provisioner/ingot)
[ -n "$agent" ] || fail "no link line for provisioner/ingot-agent in $build/build.ninja"
[ -n "$server" ] || fail "no link line for provisioner/ingot in $build/build.ninja"
for lib in sqlite3 freeipmi libingot_pxe libingot_server libingot_power; do
  grep -q "$lib" <<<"$agent" && fail "ingot-agent links $lib: $agent"
  grep -q "$lib" <<<"$server" || fail "the control failed: ingot does not link $lib (is this the right line?): $server"
done
for so in libsqlite3 libfreeipmi; do
  ldd "$build/provisioner/ingot-agent" | grep -q "$so" && fail "ingot-agent loads $so at run time"
done

# At least four libraries under provisioner/.
libs=$(grep -oE '^build provisioner/libingot_[a-z]+\.a' "$build/build.ninja" | sort -u)
[ "$(wc -l <<<"$libs")" -ge 4 ] || fail "provisioner/ builds fewer than four libraries: $libs"

# One file creates libcurl handles, one file calls zstd's compressor.
code_dirs=("$src/common" "$src/pxe" "$src/hwmatch" "$src/imagebuilder" "$src/provisioner")
curl_files=$(grep -rlE 'curl_easy_init|curl_multi_init' --include='*.cpp' --include='*.h' "${code_dirs[@]}" || true)
[ "$(grep -c . <<<"$curl_files")" = 1 ] || fail "libcurl handles are created in more than one file (or none): $curl_files"
zstd_files=$(grep -rlE 'ZSTD_compress|ZSTD_createCCtx' --include='*.cpp' --include='*.h' "${code_dirs[@]}" || true)
[ "$(grep -c . <<<"$zstd_files")" = 1 ] || fail "zstd compression is called from more than one file (or none): $zstd_files"
echo "link_sides_test: ingot-agent links none of the server's libraries; $(wc -l <<<"$libs") provisioner libraries; curl in ${curl_files#$src/}, zstd in ${zstd_files#$src/}"

# Project-wide compile settings, applied per target through ingot_target_defaults().
function(ingot_target_defaults target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
    # Boost 1.74's coroutine frames trip a false positive here.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# A library over the .cpp files under DIRS (relative to the current folder; "." = all of it)
# except those under EXCLUDE_DIRS. Aliased as ingot::<name>.
# ingot_library(power DIRS power PUBLIC ingot::common PRIVATE PkgConfig::FREEIPMI)
function(ingot_library name)
  cmake_parse_arguments(ARG "" "" "DIRS;EXCLUDE_DIRS;PUBLIC;PRIVATE" ${ARGN})
  set(srcs)
  foreach(dir IN LISTS ARG_DIRS)
    if(dir STREQUAL ".")
      file(GLOB_RECURSE dir_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    else()
      file(GLOB_RECURSE dir_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cpp)
    endif()
    list(APPEND srcs ${dir_srcs})
  endforeach()
  foreach(dir IN LISTS ARG_EXCLUDE_DIRS)
    list(FILTER srcs EXCLUDE REGEX "^${CMAKE_CURRENT_SOURCE_DIR}/${dir}/")
  endforeach()
  if(srcs)
    add_library(ingot_${name} STATIC ${srcs})
    ingot_target_defaults(ingot_${name})
    target_link_libraries(ingot_${name} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  else()
    # A folder whose code has not landed yet: still a target others can link.
    add_library(ingot_${name} INTERFACE)
    target_include_directories(ingot_${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(ingot_${name} INTERFACE ${ARG_PUBLIC})
  endif()
  add_library(ingot::${name} ALIAS ingot_${name})
endfunction()

# One library per code folder: every .cpp under the folder except those under EXCLUDE_DIRS
# (executables' mains live in their own subfolders).
# ingot_folder_library(pxe EXCLUDE_DIRS fuzz PUBLIC ingot::common PRIVATE OpenSSL::Crypto)
function(ingot_folder_library name)
  ingot_library(${name} DIRS . ${ARGN})
endfunction()

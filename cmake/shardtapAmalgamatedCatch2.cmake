# Catch2 as the amalgamated pair (catch_amalgamated.hpp/.cpp) that many projects vendor: no
# Catch2 package, no <catch2/...> headers. shardtap's sources include <catch2/...> headers; for
# such a Catch2 each of them is a one-line header that includes catch_amalgamated.hpp.

# The version "MAJOR.MINOR.PATCH" that HEADER (a catch_amalgamated.hpp) defines, into OUT.
function(shardtap_amalgamated_catch2_version header out)
  if(NOT EXISTS "${header}")
    message(FATAL_ERROR "shardtap: ${header} does not exist: no amalgamated Catch2 there")
  endif()
  file(STRINGS "${header}" lines REGEX "^#define CATCH_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
  set(parts)
  foreach(part MAJOR MINOR PATCH)
    string(REGEX MATCH "#define CATCH_VERSION_${part} ([0-9]+)" found "${lines}")
    if(NOT found)
      message(FATAL_ERROR "shardtap: ${header} defines no CATCH_VERSION_${part}: not Catch2's amalgamated header")
    endif()
    list(APPEND parts ${CMAKE_MATCH_1})
  endforeach()
  list(JOIN parts "." version)
  set(${out} ${version} PARENT_SCOPE)
endfunction()

# Writes DIR/<name> for each <name> in HEADERS ("catch2/catch_session.hpp", ...).
function(shardtap_write_forwarding_headers dir headers)
  foreach(name IN LISTS headers)
    set(text "// Catch2 is the amalgamated pair here: every Catch2 header is this one.\n#include <catch_amalgamated.hpp>\n")
    if(EXISTS "${dir}/${name}")
      file(READ "${dir}/${name}" existing)
      if(existing STREQUAL text)
        continue()
      endif()
    endif()
    file(WRITE "${dir}/${name}" "${text}")
  endforeach()
endfunction()

# The folder holding catch_amalgamated.hpp among TARGET's include directories, into OUT.
function(shardtap_amalgamated_header_dir target out)
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  string(REGEX REPLACE "\\$<BUILD_INTERFACE:([^>]*)>" "\\1" dirs "${dirs}")
  string(GENEX_STRIP "${dirs}" dirs)
  foreach(dir IN LISTS dirs)
    if(EXISTS "${dir}/catch_amalgamated.hpp")
      set(${out} "${dir}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "shardtap: SHARDTAP_CATCH2_AMALGAMATED_TARGET is ${target}, but no folder among its "
    "include directories (${dirs}) holds catch_amalgamated.hpp. Give that target "
    "target_include_directories(${target} PUBLIC <the folder of catch_amalgamated.hpp>).")
endfunction()

# Makes Catch2::Catch2, for shardtap's targets, from TARGET: the user's library compiled from
# catch_amalgamated.cpp. Sets SHARDTAP_CATCH2_VERSION in the caller's scope.
function(shardtap_use_amalgamated_catch2 target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "shardtap: SHARDTAP_CATCH2_AMALGAMATED_TARGET is ${target}, which is not a target "
      "(yet): define the library built from catch_amalgamated.cpp before adding shardtap")
  endif()
  if(SHARDTAP_INSTALL)
    message(FATAL_ERROR "shardtap: SHARDTAP_INSTALL cannot install shardtap against a vendored Catch2 "
      "(SHARDTAP_CATCH2_AMALGAMATED_TARGET ${target}): an installed shardtap needs an installed Catch2")
  endif()
  shardtap_amalgamated_header_dir(${target} header_dir)
  shardtap_amalgamated_catch2_version("${header_dir}/catch_amalgamated.hpp" version)
  file(GLOB_RECURSE sources ${PROJECT_SOURCE_DIR}/extension/*.hpp ${PROJECT_SOURCE_DIR}/extension/*.cpp)
  set(headers)
  foreach(source IN LISTS sources)
    file(STRINGS ${source} includes REGEX "^#include <catch2/[^>]+>")
    string(REGEX MATCHALL "catch2/[^>]+" names "${includes}")
    list(APPEND headers ${names})
  endforeach()
  list(REMOVE_DUPLICATES headers)
  set(forwarding ${PROJECT_BINARY_DIR}/catch2_amalgamated)
  shardtap_write_forwarding_headers(${forwarding} "${headers}")
  add_library(shardtap_amalgamated_catch2 INTERFACE)
  target_include_directories(shardtap_amalgamated_catch2 INTERFACE ${forwarding})
  target_link_libraries(shardtap_amalgamated_catch2 INTERFACE ${target})
  add_library(Catch2::Catch2 ALIAS shardtap_amalgamated_catch2)
  set(SHARDTAP_CATCH2_VERSION ${version} PARENT_SCOPE)
  message(STATUS "shardtap: Catch2 ${version}, amalgamated (target ${target}, ${header_dir})")
endfunction()

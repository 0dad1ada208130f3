# shardtap_discover_tests(TARGET [options]): catch_discover_tests for a suite split across CI
# nodes. Takes what Catch2's catch_discover_tests takes; each test case of this node's share
# becomes a CTest test of its own.
#
#   shardtap_discover_tests(TARGET
#     [TEST_SPEC arg...] [EXTRA_ARGS arg...] [WORKING_DIRECTORY dir]
#     [TEST_PREFIX prefix] [TEST_SUFFIX suffix] [PROPERTIES name value...]
#     [REPORTER reporter] [OUTPUT_DIR dir] [OUTPUT_PREFIX prefix] [OUTPUT_SUFFIX suffix]
#     [TEST_LIST variable] [DL_PATHS path...] [DISCOVERY_MODE POST_BUILD|PRE_TEST]
#     [SKIP_IS_FAILURE])
#
# The share is listed when ctest starts (shardtapAddTests.cmake), with the node's variables of
# that moment: a build made once and copied to N CI jobs splits on each. So both discovery modes
# list at test time; DISCOVERY_MODE is accepted for catch_discover_tests' sake. Each CTest test
# runs its one test case with SHARDTAP_NODE_TOTAL=1, so that it is not split a second time.
function(shardtap_discover_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "SKIP_IS_FAILURE"
    "TEST_PREFIX;TEST_SUFFIX;WORKING_DIRECTORY;TEST_LIST;REPORTER;OUTPUT_DIR;OUTPUT_PREFIX;OUTPUT_SUFFIX;DISCOVERY_MODE"
    "TEST_SPEC;EXTRA_ARGS;PROPERTIES;DL_PATHS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "shardtap_discover_tests(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "shardtap_discover_tests(${target}): there is no target ${target}")
  endif()
  if(arg_DISCOVERY_MODE AND NOT arg_DISCOVERY_MODE MATCHES "^(POST_BUILD|PRE_TEST)$")
    message(FATAL_ERROR "shardtap_discover_tests(${target}): DISCOVERY_MODE must be POST_BUILD "
                        "or PRE_TEST, not '${arg_DISCOVERY_MODE}'")
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  if(NOT arg_TEST_LIST)
    set(arg_TEST_LIST ${target}_TESTS)
  endif()
  if(NOT arg_SKIP_IS_FAILURE)
    list(APPEND arg_PROPERTIES SKIP_RETURN_CODE 4)  # Catch2: every test case skipped
  endif()
  get_property(emulator TARGET ${target} PROPERTY CROSSCOMPILING_EMULATOR)

  set(call "")
  foreach(name CMAKE TARGET EXECUTABLE EXECUTOR WORKING_DIRECTORY TEST_SPEC EXTRA_ARGS TEST_PREFIX
               TEST_SUFFIX PROPERTIES REPORTER OUTPUT_DIR OUTPUT_PREFIX OUTPUT_SUFFIX TEST_LIST DL_PATHS)
    if(name STREQUAL "CMAKE")
      set(value "${CMAKE_COMMAND}")
    elseif(name STREQUAL "TARGET")
      set(value "${target}")
    elseif(name STREQUAL "EXECUTABLE")
      set(value "$<TARGET_FILE:${target}>")
    elseif(name STREQUAL "EXECUTOR")
      set(value "${emulator}")
    else()
      set(value "${arg_${name}}")
    endif()
    # Lists travel ;-joined in a bracket argument, as catch_discover_tests passes them.
    string(APPEND call "  ${name} [==[${value}]==]\n")
  endforeach()
  string(MD5 call_hash "${call}")
  string(SUBSTRING "${call_hash}" 0 7 call_hash)
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_shardtap-${call_hash}.cmake")
  file(GENERATE OUTPUT "${include_file}" CONTENT
    "include([==[${CMAKE_CURRENT_FUNCTION_LIST_DIR}/shardtapAddTests.cmake]==])\nshardtap_add_tests(\n${call})\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()

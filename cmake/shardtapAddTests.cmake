# Run by ctest when it starts (from the include file shardtap_discover_tests generates): lists
# this node's share of the test binary with the node's variables of this moment, and adds one
# CTest test per test case of it. A binary that cannot list its share adds one failing test that
# says why, so that a misconfigured node is never a green one with nothing run.

# ctest includes this file with no policies set: these are the ones it is written for.
cmake_policy(VERSION 3.22)

# The CTest test that fails with `why` in its output. ctest defines no CMAKE_COMMAND: `cmake` is
# the one that configured the project.
function(shardtap_add_failing_test name cmake why)
  add_test("${name}" "${cmake}" -E echo "${why}")
  set_tests_properties("${name}" PROPERTIES WILL_FAIL TRUE)
endfunction()

# The test spec that names exactly `name`, as catch_discover_tests escapes it.
function(shardtap_spec_of name out)
  foreach(char \\ , [ ])
    string(REPLACE "${char}" "\\${char}" name "${name}")
  endforeach()
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

# ENVIRONMENT_MODIFICATION of every test: DL_PATHS, the user's own, then the one that keeps each
# process from splitting again.
function(shardtap_environment_of dl_paths properties out)
  set(modifications "")
  foreach(path IN LISTS dl_paths)
    list(APPEND modifications "LD_LIBRARY_PATH=path_list_prepend:${path}")
  endforeach()
  list(FIND properties ENVIRONMENT_MODIFICATION at)
  if(at GREATER -1)
    math(EXPR at "${at} + 1")
    list(GET properties ${at} own)
    list(APPEND modifications ${own})
  endif()
  list(APPEND modifications SHARDTAP_NODE_TOTAL=set:1 SHARDTAP_NODE_INDEX=set:0)
  set(${out} "${modifications}" PARENT_SCOPE)
endfunction()

function(shardtap_add_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "CMAKE;TARGET;EXECUTABLE;EXECUTOR;WORKING_DIRECTORY;TEST_SPEC;EXTRA_ARGS;TEST_PREFIX;TEST_SUFFIX;PROPERTIES;REPORTER;OUTPUT_DIR;OUTPUT_PREFIX;OUTPUT_SUFFIX;TEST_LIST;DL_PATHS" "")
  set(failing "${arg_TEST_PREFIX}${arg_TARGET}_shardtap_share${arg_TEST_SUFFIX}")
  if(NOT EXISTS "${arg_EXECUTABLE}")
    shardtap_add_failing_test("${failing}" "${arg_CMAKE}" "shardtap_discover_tests: ${arg_EXECUTABLE} does not exist: build ${arg_TARGET} first")
    return()
  endif()
  if(arg_DL_PATHS)
    string(REPLACE ";" ":" paths "${arg_DL_PATHS}")
    set(ENV{LD_LIBRARY_PATH} "${paths}:$ENV{LD_LIBRARY_PATH}")
  endif()
  execute_process(
    COMMAND ${arg_EXECUTOR} "${arg_EXECUTABLE}" ${arg_TEST_SPEC} --list-tests --verbosity quiet
    OUTPUT_VARIABLE listed ERROR_VARIABLE said RESULT_VARIABLE status
    WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}")
  if(NOT status EQUAL 0)
    shardtap_add_failing_test("${failing}" "${arg_CMAKE}" "shardtap_discover_tests: ${arg_EXECUTABLE} ${arg_TEST_SPEC} --list-tests exited ${status}: ${said}")
    return()
  endif()

  # One name a line; a ; in a name must not split it.
  string(REPLACE ";" "\\;" listed "${listed}")
  string(REPLACE "\n" ";" listed "${listed}")
  list(FILTER listed EXCLUDE REGEX "^$")
  set(names ${listed})
  list(REMOVE_DUPLICATES names)
  list(LENGTH names unique)
  list(LENGTH listed all)
  if(NOT unique EQUAL all)
    shardtap_add_failing_test("${failing}" "${arg_CMAKE}" "shardtap_discover_tests: test cases of ${arg_TARGET} share a name, and ctest runs a test case by its name: give each a name of its own")
    return()
  endif()

  if(arg_OUTPUT_DIR AND NOT IS_ABSOLUTE "${arg_OUTPUT_DIR}")
    set(arg_OUTPUT_DIR "${arg_WORKING_DIRECTORY}/${arg_OUTPUT_DIR}")
  endif()
  if(arg_OUTPUT_DIR)
    file(MAKE_DIRECTORY "${arg_OUTPUT_DIR}")
  endif()
  shardtap_environment_of("${arg_DL_PATHS}" "${arg_PROPERTIES}" environment)
  set(reporter "")
  if(arg_REPORTER)
    set(reporter --reporter "${arg_REPORTER}")
  endif()
  set(tests "")
  foreach(name IN LISTS names)
    set(test "${arg_TEST_PREFIX}${name}${arg_TEST_SUFFIX}")
    shardtap_spec_of("${name}" spec)
    set(reporting ${reporter})
    if(arg_OUTPUT_DIR)
      string(REGEX REPLACE "[^A-Za-z0-9_]" "_" file_name "${spec}")
      list(APPEND reporting --out "${arg_OUTPUT_DIR}/${arg_OUTPUT_PREFIX}${file_name}${arg_OUTPUT_SUFFIX}")
    endif()
    add_test("${test}" ${arg_EXECUTOR} "${arg_EXECUTABLE}" "${spec}" ${arg_EXTRA_ARGS} ${reporting})
    set_tests_properties("${test}" PROPERTIES WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}" ${arg_PROPERTIES})
    set_tests_properties("${test}" PROPERTIES ENVIRONMENT_MODIFICATION "${environment}")
    list(APPEND tests "${test}")
  endforeach()
  set(${arg_TEST_LIST} "${tests}" PARENT_SCOPE)

  # One line a node and binary in ctest's output: which node listed what, and by which split.
  string(REGEX MATCH "shardtap: node [^\n]*" announced "${said}")
  if(announced)
    message(NOTICE "${arg_TARGET}: ${announced}")
  endif()
endfunction()

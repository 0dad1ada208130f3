# The layering rule of extension/src, checked at configure time: a layer may include only the
# layers below it (core < posix < catch2). A violation stops the configure step with the file,
# the line and the rule, so it never reaches a compiler.
function(shardtap_check_layer folder)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "FORBID")
  file(GLOB_RECURSE sources "${folder}/*.cpp" "${folder}/*.hpp")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^#include")
    foreach(line IN LISTS includes)
      foreach(pattern IN LISTS ARG_FORBID)
        if(line MATCHES "^#include [<\"]${pattern}")
          file(RELATIVE_PATH shown "${PROJECT_SOURCE_DIR}" "${source}")
          message(FATAL_ERROR "${shown}: '${line}' breaks the layering of extension/src: "
                              "code under ${folder} may not include ${pattern}")
        endif()
      endforeach()
    endforeach()
  endforeach()
endfunction()

# The project's own warnings, on its own targets only (never on a consumer's).
# SHARDTAP_WARNINGS_AS_ERRORS (scripts/test) turns them into errors.
function(shardtap_warnings target)
  # Aggregates here rely on default member initializers: -Wmissing-field-initializers is off.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wno-missing-field-initializers
                         $<$<BOOL:${SHARDTAP_WARNINGS_AS_ERRORS}>:-Werror>)
endfunction()

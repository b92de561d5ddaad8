# endaccept_add_conformance_test(TARGET <adapter executable target>
#                                [NAME <ctest name>]             default: conformance.<adapter name>
#                                [ADAPTER_NAME <name>]           default: the target's name, lower case (the driver
#                                                                checks it against spec/vocabulary.json)
#                                [EXPECTATIONS <file>]           known deviations (adapters/dotnet/expectations.json shows the form)
#                                [FILTER <glob>...]              case ids, e.g. 'disposed/*'; default: every case
#                                [TIMEOUT_SCALE <f>]             for slow or loaded machines
#                                [REPORT_DIR <dir>]              default: <current binary dir>/endaccept-reports/<adapter name>
#                                [ARGS <run_conformance.py option>...])
#
# Registers one CTest test that runs the whole suite (run_conformance.py)
# against TARGET, an executable that speaks spec/adapter-protocol.md (for
# C++: linked with endaccept::adapter_host). The test's result is the
# suite's exit status: it fails on any unexpected result. Reports (JSON,
# JUnit, summary.md, index.html) go to REPORT_DIR.
#
# One file for both ways in: find_package(endaccept-conformance) includes it
# from the installed package (the driver and runner under the prefix), and
# the suite's own CMakeLists.txt includes it for FetchContent or
# add_subdirectory (the driver in the suite's sources, the runner in its
# build tree).

if(DEFINED ENDACCEPT_CONFORMANCE_DRIVER)
  # Installed: the driver finds the runner itself (installed-layout.json);
  # --build-dir is only where it keeps case durations.
  set_property(GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_DRIVER "${ENDACCEPT_CONFORMANCE_DRIVER}")
  set_property(GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_RUNNER_DIR "")
else()
  set_property(GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_DRIVER "${PROJECT_SOURCE_DIR}/run_conformance.py")
  set_property(GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_RUNNER_DIR "${PROJECT_BINARY_DIR}")
endif()
find_package(Python3 3.9 COMPONENTS Interpreter REQUIRED)
set_property(GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_PYTHON "${Python3_EXECUTABLE}")

function(endaccept_add_conformance_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;NAME;ADAPTER_NAME;EXPECTATIONS;TIMEOUT_SCALE;REPORT_DIR"
                        "FILTER;ARGS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "endaccept_add_conformance_test: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TARGET OR NOT TARGET ${arg_TARGET})
    message(FATAL_ERROR "endaccept_add_conformance_test: TARGET must name the adapter's executable target "
                        "(got '${arg_TARGET}')")
  endif()
  if(NOT arg_ADAPTER_NAME)
    string(TOLOWER "${arg_TARGET}" arg_ADAPTER_NAME)
    string(REGEX REPLACE "[^a-z0-9._-]" "-" arg_ADAPTER_NAME "${arg_ADAPTER_NAME}")
  endif()
  if(NOT arg_NAME)
    set(arg_NAME conformance.${arg_ADAPTER_NAME})
  endif()
  if(NOT arg_REPORT_DIR)
    set(arg_REPORT_DIR ${CMAKE_CURRENT_BINARY_DIR}/endaccept-reports/${arg_ADAPTER_NAME})
  endif()

  # The adapter's directory, as the suite reads one: adapter.json, and its
  # expectations beside it.
  set(adapter_dir ${CMAKE_CURRENT_BINARY_DIR}/endaccept-adapters/${arg_ADAPTER_NAME})
  file(GENERATE OUTPUT ${adapter_dir}/adapter.json CONTENT "{
  \"name\": \"${arg_ADAPTER_NAME}\",
  \"description\": \"CMake target ${arg_TARGET} of ${PROJECT_NAME}\",
  \"command\": [\"$<TARGET_FILE:${arg_TARGET}>\"],
  \"requires\": {\"files\": [\"$<TARGET_FILE:${arg_TARGET}>\"], \"programs\": []},
  \"env\": {}
}
")
  if(arg_EXPECTATIONS)
    cmake_path(ABSOLUTE_PATH arg_EXPECTATIONS BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    configure_file(${arg_EXPECTATIONS} ${adapter_dir}/expectations.json COPYONLY)
  else()
    file(REMOVE ${adapter_dir}/expectations.json)
  endif()

  get_property(driver GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_DRIVER)
  get_property(runner_dir GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_RUNNER_DIR)
  get_property(python GLOBAL PROPERTY ENDACCEPT_CONFORMANCE_PYTHON)
  if(NOT runner_dir)
    set(runner_dir ${CMAKE_CURRENT_BINARY_DIR}/endaccept-work)
  endif()
  set(command ${python} ${driver} --adapter-dir ${adapter_dir} --no-build --build-dir ${runner_dir}
      --report-dir ${arg_REPORT_DIR})
  foreach(glob IN LISTS arg_FILTER)
    list(APPEND command --filter ${glob})
  endforeach()
  if(arg_TIMEOUT_SCALE)
    list(APPEND command --timeout-scale ${arg_TIMEOUT_SCALE})
  endif()
  add_test(NAME ${arg_NAME} COMMAND ${command} ${arg_ARGS})
  # Progress goes to a log, not a terminal: plain lines, no colour codes.
  set_tests_properties(${arg_NAME} PROPERTIES ENVIRONMENT "NO_COLOR=1" LABELS endaccept-conformance)
endfunction()

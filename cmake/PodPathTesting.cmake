# podpath_register_test(NAME LABELS label... COMMAND exe [args...] [TIMEOUT s])
# A ctest entry for a Qt Test executable (all of it, or the test functions named in args).
function(podpath_register_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "LABELS;COMMAND" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  # Qt Test's own watchdog (5 min per test function, all data rows together) would
  # abort the long lab functions before ctest's TIMEOUT: ctest's limit is the one.
  # A test that cannot run here says why and exits 77 before it starts (tests/unit/
  # test_main.h): ctest shows it as skipped. Once started it passes or fails: Qt Test's
  # "SKIP   :" from a test function fails it, since a skip after the test did something
  # can hide a failure. (ctest applies a skip pattern whatever the exit code, so none is
  # used.)
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QTEST_FUNCTION_TIMEOUT=3600000"
    SKIP_RETURN_CODE 77 FAIL_REGULAR_EXPRESSION "SKIP   :")
endfunction()

# podpath_add_test(NAME SOURCES... LABELS label... [LIBS lib...] [NO_CTEST])
# One Qt Test executable per unit; registered with ctest under its labels (NO_CTEST: the
# caller registers it, e.g. one entry per group of its test functions).
function(podpath_add_test name)
  cmake_parse_arguments(ARG "NO_CTEST" "" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test podpath_backend ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
  target_compile_definitions(${name} PRIVATE
    PODPATH_FIXTURES="${PROJECT_SOURCE_DIR}/tests/fixtures"
    PODPATH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(NOT ARG_NO_CTEST)
    podpath_register_test(${name} LABELS ${ARG_LABELS} COMMAND ${name})
  endif()
endfunction()

# podpath_add_fuzzer(NAME SOURCE [SECONDS n])
# A libFuzzer target, run by ctest (label fuzz) for a bounded time over its seed corpus
# (tests/fuzz/corpus/NAME plus the fixtures), so CI keeps every parser crash-free.
set(PODPATH_FUZZ_SECONDS 15 CACHE STRING "Seconds each fuzzer runs under ctest")
function(podpath_add_fuzzer name source)
  if(NOT PODPATH_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "CORPUS" ${ARGN})
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE podpath_backend)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(work ${CMAKE_CURRENT_BINARY_DIR}/${name}-corpus)
  set(seeds "")
  foreach(dir IN LISTS ARG_CORPUS)
    list(APPEND seeds ${PROJECT_SOURCE_DIR}/${dir})
  endforeach()
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      ${CMAKE_COMMAND} -DFUZZER=$<TARGET_FILE:${name}> -DWORK=${work}
        -DSECONDS=${PODPATH_FUZZ_SECONDS} "-DSEEDS=${seeds}"
        -DARTIFACTS=${CMAKE_CURRENT_BINARY_DIR}/${name}-crashes/
        -P ${PROJECT_SOURCE_DIR}/cmake/RunFuzzer.cmake)
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()

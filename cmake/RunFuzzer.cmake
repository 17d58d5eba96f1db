# Runs one libFuzzer target for SECONDS over a scratch corpus seeded from SEEDS.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK} ${ARTIFACTS})
set(dirs ${WORK})
foreach(seed IN LISTS SEEDS)
  if(EXISTS ${seed})
    list(APPEND dirs ${seed})
  endif()
endforeach()
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -max_len=65536 -rss_limit_mb=2048
          -timeout=10 -artifact_prefix=${ARTIFACTS} -print_final_stats=1 ${dirs}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a crash (exit ${rc}); reproducer in ${ARTIFACTS}. "
                      "Add it to tests/fixtures/crashes/ and fix the parser.")
endif()

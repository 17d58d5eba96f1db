# Runs one libFuzzer target for SECONDS over a scratch corpus seeded from SEEDS.
# PODPATH_FUZZ_SEED in the environment fixes libFuzzer's seed (CI's gate uses one, so a
# red run can be replayed); without it every run explores from a new seed.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK} ${ARTIFACTS})
set(dirs ${WORK})
set(seedArg "")
if(DEFINED ENV{PODPATH_FUZZ_SEED} AND NOT "$ENV{PODPATH_FUZZ_SEED}" STREQUAL "")
  set(seedArg -seed=$ENV{PODPATH_FUZZ_SEED})
endif()
foreach(seed IN LISTS SEEDS)
  if(EXISTS ${seed})
    list(APPEND dirs ${seed})
  endif()
endforeach()
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -max_len=65536 -rss_limit_mb=2048
          -timeout=10 -artifact_prefix=${ARTIFACTS} -print_final_stats=1 ${seedArg} ${dirs}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a crash (exit ${rc}); reproducer in ${ARTIFACTS}. "
                      "Add it to tests/fixtures/crashes/ and fix the parser.")
endif()

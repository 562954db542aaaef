# SPDX-License-Identifier: Apache-2.0
# Runs hcp-bench-kiosk with a small sample and checks that it exits 0 and prints every key as
# name=<number>. No timing is judged here (the machine running CTest is not a benchmark rig).
# Usage: cmake -DBENCH=<path> -P checkoutput.cmake
execute_process(COMMAND ${BENCH} --launches 1 --commits 60 --idle-ms 1500 --cpu-ms 500
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 150)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hcp-bench-kiosk exited with ${rc}:\n${err}")
endif()
foreach(key startup_ms startup_floor_ms startup_ratio rss_kb rss_floor_kb rss_ratio
            idle_cpu_pct idle_cpu_floor_pct commit_p50_ms commit_p99_ms commit_floor_p99_ms commit_ratio)
  if(NOT out MATCHES "(^|\n)${key}=[0-9]+(\\.[0-9]+)?\n")
    message(FATAL_ERROR "hcp-bench-kiosk did not print ${key}=<number>")
  endif()
endforeach()

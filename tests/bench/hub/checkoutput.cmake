# SPDX-License-Identifier: Apache-2.0
# Runs hcp-bench-hub --quick and checks that it exits 0, prints every key as name=<number>,
# that requests were answered and that the ratios to the floor are sane (a hub doing real work
# behind HTTP is slower than a server answering a constant). No timing is judged here.
# Usage: cmake -DBENCH=<path> -P checkoutput.cmake
execute_process(COMMAND ${BENCH} --quick RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 200)
message("${out}")
message("${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hcp-bench-hub exited with ${rc}:\n${err}")
endif()
if(NOT out MATCHES "(^|\n)backend=(postgresql|sqlite)\n")
  message(FATAL_ERROR "hcp-bench-hub did not print backend=")
endif()
foreach(key connections heartbeat_per_s heartbeat_p50_ms heartbeat_p99_ms heartbeat_hub_cpu_ms_per_req heartbeat_serving_thread_cpu_ms_per_req
            heartbeat_client_cpu_pct batch_per_s batch_p50_ms batch_p99_ms batch_hub_cpu_ms_per_req poll_per_s
            poll_p99_ms hub_rss_kb max_kiosks_p99_1s hub_rss_peak_kb floor_per_s heartbeat_floor_ratio batch_floor_ratio
            fleet_100_p99_ms fleet_100_command_p99_ms)
  if(NOT out MATCHES "(^|\n)${key}=[0-9]+(\\.[0-9]+)?\n")
    message(FATAL_ERROR "hcp-bench-hub did not print ${key}=<number>")
  endif()
endforeach()
foreach(key heartbeat_per_s batch_per_s poll_per_s floor_per_s hub_rss_kb batch_hub_cpu_ms_per_req)
  string(REGEX MATCH "(^|\n)${key}=([0-9.]+)" _m "${out}")
  if(CMAKE_MATCH_2 EQUAL 0)
    message(FATAL_ERROR "${key} is 0: nothing was answered")
  endif()
endforeach()
foreach(key heartbeat_failed batch_failed poll_failed)
  string(REGEX MATCH "(^|\n)${key}=([0-9.]+)" _m "${out}")
  if(NOT CMAKE_MATCH_2 EQUAL 0)
    message(FATAL_ERROR "${key}=${CMAKE_MATCH_2}: the hub refused or dropped requests of a closed loop")
  endif()
endforeach()
foreach(key heartbeat_floor_ratio batch_floor_ratio)
  string(REGEX MATCH "(^|\n)${key}=([0-9.]+)" _m "${out}")
  if(CMAKE_MATCH_2 GREATER 1)
    message(FATAL_ERROR "${key}=${CMAKE_MATCH_2}: the hub cannot beat a server answering a constant")
  endif()
endforeach()

# Helpers that keep every target's settings in one place.

# Warnings for the project's own code.
function(tao_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()

# A static library for one core area:
#   tao_core_library(NAME area SOURCES ... TORCH_SOURCES ... DEPS ...)
# TORCH_SOURCES are the files that include torch headers; only they get the shared
# precompiled header. Loading it costs about 7 s per file, so files that never touch
# torch go in SOURCES even when the library links torch.
function(tao_core_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;TORCH_SOURCES;DEPS" ${ARGN})
  add_library(tao_${ARG_NAME} STATIC ${ARG_SOURCES} ${ARG_TORCH_SOURCES})
  add_library(tao::${ARG_NAME} ALIAS tao_${ARG_NAME})
  target_include_directories(tao_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(tao_${ARG_NAME} PUBLIC ${ARG_DEPS})
  tao_warnings(tao_${ARG_NAME})
  if(ARG_TORCH_SOURCES)
    target_link_libraries(tao_${ARG_NAME} PUBLIC torch)
    tao_use_torch_pch(tao_${ARG_NAME})
    tao_skip_torch_pch(${ARG_SOURCES})
  endif()
endfunction()

# Files of a torch target that do not include torch headers compile without its header.
function(tao_skip_torch_pch)
  if(ARGN)
    set_source_files_properties(${ARGN} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
  endif()
endfunction()

# One precompiled torch header, built once and reused by every torch translation unit.
function(tao_use_torch_pch target)
  if(NOT TARGET tao_torch_pch)
    add_library(tao_torch_pch STATIC ${PROJECT_SOURCE_DIR}/cmake/torch_pch.cpp)
    target_link_libraries(tao_torch_pch PUBLIC torch)
    tao_warnings(tao_torch_pch)
    target_precompile_headers(tao_torch_pch PRIVATE <torch/script.h>)
  endif()
  target_precompile_headers(${target} REUSE_FROM tao_torch_pch)
  # The header was compiled as position-independent library code (-fPIC); an executable
  # would get -fPIE and gcc would silently ignore the header. -fPIC objects link into a PIE.
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
    target_compile_options(${target} PRIVATE -fPIC)
  endif()
endfunction()

# A Qt Test suite registered with CTest: tao_test(NAME suite SOURCES ... DEPS ...)
# COST: rough seconds on two cores, for the longest suites. A fresh clone has no timings
# from an earlier run, so CTest would start suites in declaration order and leave the
# longest to the end; with a cost it starts them first and the rest fill in around them.
function(tao_test)
  cmake_parse_arguments(ARG "TORCH" "NAME;TIMEOUT;COST" "SOURCES;DEPS" ${ARGN})
  add_executable(test_${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(test_${ARG_NAME} PRIVATE Qt6::Core Qt6::Test tao_test_support ${ARG_DEPS})
  target_include_directories(test_${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(test_${ARG_NAME} PRIVATE
    TAO_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TAO_BINARY_DIR="${PROJECT_BINARY_DIR}")
  tao_warnings(test_${ARG_NAME})
  if(ARG_TORCH)
    tao_use_torch_pch(test_${ARG_NAME})
    # The suites include their moc output themselves; what automoc adds needs no torch.
    tao_skip_torch_pch(${CMAKE_CURRENT_BINARY_DIR}/test_${ARG_NAME}_autogen/mocs_compilation.cpp)
  endif()
  add_test(NAME ${ARG_NAME} COMMAND test_${ARG_NAME})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  if(ARG_COST)
    set_tests_properties(${ARG_NAME} PROPERTIES COST ${ARG_COST})
  endif()
  set_tests_properties(${ARG_NAME} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TAO_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# The suite test_<SUITE> registered once more as NAME, with ENV added to its environment:
# tao_test_again(NAME numerics_fp32_magnitude SUITE numerics ENV TAO_BF16_DOT=0)
function(tao_test_again)
  cmake_parse_arguments(ARG "" "NAME;SUITE;COST" "ENV" ${ARGN})
  add_test(NAME ${ARG_NAME} COMMAND test_${ARG_SUITE})
  get_test_property(${ARG_SUITE} TIMEOUT timeout)
  get_test_property(${ARG_SUITE} ENVIRONMENT environment)
  set_tests_properties(${ARG_NAME} PROPERTIES TIMEOUT ${timeout}
    ENVIRONMENT "${environment};${ARG_ENV}")
  if(ARG_COST)
    set_tests_properties(${ARG_NAME} PROPERTIES COST ${ARG_COST})
  endif()
endfunction()
